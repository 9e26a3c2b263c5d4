package io.vectormemory.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The standalone server ({@link Main} in a child JVM): by default only this machine can reach it; told to listen on
 * every interface without a key, it says so at startup.
 */
class StandaloneBindTest {

    @TempDir
    Path dir;

    @Test
    void listensOnLoopbackUnlessToldOtherwiseAndWarnsWhenOpenWithoutKey() throws Exception {
        Optional<InetAddress> external = externalAddress();
        assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");

        Path quiet = dir.resolve("default.log");
        try (StandaloneProcess server = StandaloneProcess.start(Map.of(Main.ENV_STORAGE, "memory"), 0, List.of(),
                quiet)) {
            assertTrue(reachable(InetAddress.getLoopbackAddress(), server.port()));
            assertFalse(reachable(external.get(), server.port()),
                    "the default server must not be reachable on " + external.get().getHostAddress());
            assertFalse(Files.readString(quiet).contains("WITHOUT an API key"), Files.readString(quiet));
        }

        Path open = dir.resolve("open.log");
        try (StandaloneProcess server = StandaloneProcess.start(Map.of(Main.ENV_STORAGE, "memory",
                Main.ENV_HOST, "0.0.0.0"), 0, List.of(), open)) {
            assertTrue(reachable(external.get(), server.port()));
            String log = Files.readString(open);
            assertTrue(log.contains("WARNING") && log.contains("WITHOUT an API key"), log);
        }
    }

    private static boolean reachable(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> externalAddress() throws IOException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : nic.inetAddresses().toList()) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
