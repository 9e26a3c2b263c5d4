package io.vectormemory.tests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A packaged jar running as its own OS process, on the JVM that runs the tests, with a clean environment and
 * its output captured to a log file for diagnosis.
 */
public final class JavaProcess implements AutoCloseable {
    private static final String JAVA = ProcessHandle.current().info().command()
            .orElseThrow(() -> new IllegalStateException("cannot tell which java runs the tests"));

    private final String name;
    private final Path log;
    private final Process process;

    private JavaProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code java -jar jar} with only PATH, HOME and the given variables in its environment. */
    public static JavaProcess start(String name, Path jar, Map<String, String> env, Path logDir) {
        return start(name, jar, env, logDir, List.of());
    }

    /** As {@link #start(String, Path, Map, Path)}, with extra JVM options (after the defaults, so they win). */
    public static JavaProcess start(String name, Path jar, Map<String, String> env, Path logDir,
                                    List<String> jvmOptions) {
        if (!Files.isRegularFile(jar)) {
            fail(jar + " does not exist: build the packaged jars first (mvn install -DskipTests at the root)");
        }
        List<String> command = new ArrayList<>(List.of(JAVA, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = pb.environment();
        String path = environment.get("PATH");
        String home = environment.get("HOME");
        environment.clear();
        if (path != null) {
            environment.put("PATH", path);
        }
        if (home != null) {
            environment.put("HOME", home);
        }
        environment.putAll(env);
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            for (int n = 2; Files.exists(log); n++) {
                log = logDir.resolve(name + "-" + n + ".log"); // a restarted process keeps its predecessor's log
            }
            Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            return new JavaProcess(name, log, pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The file that receives the process's stdout and stderr. */
    public Path logFile() {
        return log;
    }

    /** Everything the process wrote to stdout and stderr so far. */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends SIGTERM and returns at once. */
    public void signalTerm() {
        process.destroy();
    }

    /** Waits for the process to end; its exit code, or -1 if it is still running after the timeout. */
    public int awaitExit(Duration timeout) {
        return waitFor(timeout) ? process.exitValue() : -1;
    }

    /** Waits until a TCP connection to the port succeeds; fails early if the process has died. */
    public void awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertAlive();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                pause();
            }
        }
        fail(name + " did not open port " + port + " within " + timeout + "\n" + logTail());
    }

    /** Waits until GET path answers 200; fails early if the process has died. */
    public void awaitOk(Http http, String path, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            assertAlive();
            try {
                Response r = http.timeout(Duration.ofSeconds(2)).get(path);
                if (r.status() == 200) {
                    return;
                }
                last = r.toString();
            } catch (UncheckedIOException e) {
                last = e.getMessage();
            }
            pause();
        }
        fail(name + ": GET " + path + " not 200 within " + timeout + " (last: " + last + ")\n" + logTail());
    }

    private void assertAlive() {
        if (!process.isAlive()) {
            fail(name + " exited with code " + process.exitValue() + "\n" + logTail());
        }
    }

    /** SIGKILL, as when a node dies: no shutdown hooks run. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM; returns whether the process exited within the timeout. */
    public boolean terminate(Duration timeout) {
        process.destroy();
        return waitFor(timeout);
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "---- last lines of " + log + " ----\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Always ends the process: SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() {
        if (process.isAlive() && !terminate(Duration.ofSeconds(10))) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
