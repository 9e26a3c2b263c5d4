package io.vectormemory.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the kernel says about a process (Linux {@code /proc}): resident memory, OS threads, open file descriptors.
 *
 * @param rssKib   resident set size (VmRSS), KiB
 * @param threads  OS threads (virtual threads are not counted: they run on a few carrier threads)
 * @param openFds  open file descriptors, sockets included
 */
public record ProcessStats(long rssKib, int threads, int openFds) {

    public static boolean supported() {
        return Files.isDirectory(Path.of("/proc/self/fd"));
    }

    public static ProcessStats of(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            long rss = -1;
            int threads = -1;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
            int fds;
            try (Stream<Path> s = Files.list(proc.resolve("fd"))) {
                fds = (int) s.count();
            }
            return new ProcessStats(rss, threads, fds);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc for pid " + pid, e);
        }
    }

    /**
     * Java heap the process really holds on to: the objects live after a full collection, counted by the same
     * safepoint that collects ({@code jcmd GC.class_histogram}), without the filler objects that pad retired
     * allocation buffers. (Reading {@code GC.heap_info} after a separate {@code GC.run} also counted whatever the
     * process allocated in between, tens of MiB under load.) -1 when the JVM cannot be attached to.
     */
    public static long heapAfterGcKib(long pid) {
        String jcmd = ProcessHandle.current().info().command()
                .map(java -> Path.of(java).resolveSibling("jcmd").toString()).orElse("jcmd");
        try {
            long total = -1;
            long fillers = 0;
            for (String line : run(jcmd, Long.toString(pid), "GC.class_histogram").split("\n")) {
                String[] f = line.strip().split("\\s+");
                if (f.length == 3 && f[0].equals("Total")) {
                    total = Long.parseLong(f[2]);
                } else if (f.length >= 4 && f[3].contains("jdk.internal.vm.FillerElement")) {
                    fillers += Long.parseLong(f[2]);
                }
            }
            return total < 0 ? -1 : (total - fillers) / 1024;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public String toString() {
        return "RSS " + rssKib / 1024 + " MiB, " + threads + " threads, " + openFds + " fds";
    }
}
