package io.vectormemory.embedded;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.grpc.ManagedChannelBuilder;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The standalone server ({@link Main}) in a child JVM started from the test class path, as it runs in
 * production: for the crash test and the benchmark.
 */
public final class StandaloneProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final long startMillis;

    private StandaloneProcess(Process process, int port, Path log, long startMillis) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startMillis = startMillis;
    }

    /**
     * Starts {@code Main} and waits until it answers a health check.
     *
     * @param env      environment for Main (data dir, storage, port is added)
     * @param port     gRPC port; 0 picks a free one
     * @param jvmFlags extra JVM flags (e.g. -Xmx, system properties)
     * @param log      where the server's output goes
     */
    public static StandaloneProcess start(Map<String, String> env, int port, List<String> jvmFlags, Path log)
            throws IOException, InterruptedException {
        return start(env, port, List.of(), jvmFlags, log);
    }

    /**
     * As {@link #start(Map, int, List, Path)}, with the java command run by {@code launcher} (e.g.
     * {@code taskset -c 1}, so the JVM sizes itself for the CPUs it is given, as bench/run pins the backend).
     */
    public static StandaloneProcess start(Map<String, String> env, int port, List<String> launcher,
                                          List<String> jvmFlags, Path log) throws IOException, InterruptedException {
        if (port == 0) {
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
        }
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : System.getProperty("embedded.jvm.flags",
                "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED").split("\\s+")) {
            if (!flag.isBlank()) {
                command.add(flag);
            }
        }
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classPath());
        command.add(Main.class.getName());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = new HashMap<>(env);
        environment.put(Main.ENV_PORT, Integer.toString(port));
        pb.environment().remove(Main.ENV_API_KEY);
        pb.environment().putAll(environment);
        long start = System.nanoTime();
        StandaloneProcess server = new StandaloneProcess(pb.start(), port, log, 0);
        long deadline = start + TimeUnit.SECONDS.toNanos(300);
        while (true) {
            if (!server.process.isAlive()) {
                throw new IOException("server exited with " + server.process.exitValue() + ":\n" + server.logTail());
            }
            try (QdrantClient client = server.client(Duration.ofSeconds(2))) {
                client.healthCheckAsync().get(2, TimeUnit.SECONDS);
                return new StandaloneProcess(server.process, port, log, (System.nanoTime() - start) / 1_000_000);
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    server.process.destroyForcibly();
                    throw new IOException("server did not start:\n" + server.logTail());
                }
                Thread.sleep(50);
            }
        }
    }

    /** The test class path (Surefire runs tests from a manifest-only jar and tells the real one here). */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Milliseconds from the process start to the first answered health check. */
    public long startMillis() {
        return startMillis;
    }

    /** A client of this server (its own channel; close it). */
    public QdrantClient client(Duration timeout) {
        return new QdrantClient(QdrantGrpcClient.newBuilder(
                        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                                .maxInboundMessageSize(EmbeddedQdrant.MAX_INBOUND_MESSAGE_SIZE).build(), true, false)
                .withTimeout(timeout).build());
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** SIGTERM (graceful: running calls finish, final checkpoint); returns the exit status. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** CPU time (user + system) the process has used so far, in milliseconds (/proc/&lt;pid&gt;/stat; 100 ticks/s). */
    public long cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "(comm)": state is field 3, utime field 14, stime field 15
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    /** Fields of /proc/&lt;pid&gt;/status in kB (VmRSS, RssAnon, RssFile, VmHWM, ...). */
    public Map<String, Long> memoryKb() throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            String[] parts = line.split(":\\s+");
            if (parts.length == 2 && parts[1].endsWith(" kB")) {
                out.put(parts[0], Long.parseLong(parts[1].substring(0, parts[1].length() - 3).trim()));
            }
        }
        return out;
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
