package io.vectormemory.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Samples, once a second, how busy the machine is and how much of that is the benchmark's own processes (the
 * descendants of one root process), so every figure in the report can say how much CPU something else took
 * while it was measured. Writes {@code epoch-ms busy-cores ours-cores others-cores steal-cores} lines.
 */
final class CpuMonitor {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private CpuMonitor() {
    }

    static void run(long rootPid, Path out, long intervalMillis) throws Exception {
        long cpus = Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
        long[] lastCpu = cpuTicks();
        Map<Long, Long> lastProc = new HashMap<>();
        Map<Long, Long> parents = new HashMap<>();
        readProcesses(lastProc, parents);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out), true)) {
            while (ProcessHandle.of(rootPid).isPresent()) {
                Thread.sleep(intervalMillis);
                long[] cpu = cpuTicks();
                Map<Long, Long> proc = new HashMap<>();
                parents.clear();
                readProcesses(proc, parents);
                Set<Long> ours = descendants(rootPid, parents);
                long oursTicks = 0;
                for (long pid : ours) {
                    Long now = proc.get(pid);
                    if (now != null) {
                        oursTicks += now - lastProc.getOrDefault(pid, 0L);
                    }
                }
                double seconds = (cpu[2] - lastCpu[2]) / TICKS_PER_SECOND / cpus;
                if (seconds <= 0) {
                    seconds = intervalMillis / 1000.0;
                }
                double busy = (cpu[0] - lastCpu[0]) / TICKS_PER_SECOND / seconds;
                double steal = (cpu[1] - lastCpu[1]) / TICKS_PER_SECOND / seconds;
                double mine = oursTicks / TICKS_PER_SECOND / seconds;
                w.printf("%d %.3f %.3f %.3f %.3f%n", System.currentTimeMillis(), busy, mine,
                        Math.max(0, busy - mine), steal);
                lastCpu = cpu;
                lastProc = proc;
            }
        }
    }

    /** {busy, steal, total} ticks of all CPUs together, from /proc/stat. */
    private static long[] cpuTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long user = Long.parseLong(f[1]);
        long nice = Long.parseLong(f[2]);
        long system = Long.parseLong(f[3]);
        long idle = Long.parseLong(f[4]);
        long iowait = Long.parseLong(f[5]);
        long irq = Long.parseLong(f[6]);
        long softirq = Long.parseLong(f[7]);
        long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        long busy = user + nice + system + irq + softirq;
        return new long[] {busy, steal, busy + idle + iowait + steal};
    }

    /** utime+stime of every process, and its parent. */
    private static void readProcesses(Map<Long, Long> ticks, Map<Long, Long> parents) throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    // fields after the command name, which may itself contain spaces and parentheses
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(name);
                    parents.put(pid, Long.parseLong(f[1]));
                    ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
        }
    }

    private static Set<Long> descendants(long root, Map<Long, Long> parents) {
        Map<Long, List<Long>> children = new HashMap<>();
        parents.forEach((pid, parent) -> children.computeIfAbsent(parent, p -> new ArrayList<>()).add(pid));
        Set<Long> out = new HashSet<>();
        ArrayDeque<Long> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            long p = todo.poll();
            if (out.add(p)) {
                todo.addAll(children.getOrDefault(p, List.of()));
            }
        }
        return out;
    }
}
