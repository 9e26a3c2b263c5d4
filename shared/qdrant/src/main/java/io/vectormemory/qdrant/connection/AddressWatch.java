package io.vectormemory.qdrant.connection;

import io.grpc.ManagedChannel;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Keeps the channel's view of Qdrant's nodes current. The channel balances calls over every address Qdrant's host
 * name resolves to (a headless Service lists one per ready node), but gRPC resolves the name again only after a
 * connection fails: a node that comes back after a restart, or one added, would get no calls until then. This
 * looks the name up periodically and, when the addresses changed, lets the channel go idle, so the next call
 * resolves the name again and connects to every node (calls in flight finish on the old connections).
 */
final class AddressWatch {
    private static final Logger LOG = Logger.getLogger(AddressWatch.class.getName());

    private final String host;
    private final ManagedChannel channel;
    private final Duration interval;
    private volatile Thread thread;
    private Set<String> seen;

    private AddressWatch(String host, ManagedChannel channel, Duration interval) {
        this.host = host;
        this.channel = channel;
        this.interval = interval;
    }

    /** Starts watching a host name; an IP address needs no watch (null). */
    static AddressWatch start(String host, ManagedChannel channel, Duration interval) {
        if (host.matches("[0-9.]+") || host.contains(":")) {
            return null;
        }
        AddressWatch watch = new AddressWatch(host, channel, interval);
        watch.thread = Thread.ofVirtual().name("qdrant-address-watch").start(watch::run);
        return watch;
    }

    private void run() {
        // Here, not in start(): a lookup must not delay a cold start.
        seen = lookUp();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            Set<String> now = lookUp();
            // No answer is no news: a DNS outage must not drop working connections.
            if (!now.isEmpty() && !now.equals(seen)) {
                LOG.info(() -> "Qdrant host " + host + " now resolves to " + now + " (was " + seen
                        + "): reconnecting to every address");
                seen = now;
                channel.enterIdle();
            }
        }
    }

    private Set<String> lookUp() {
        try {
            return new TreeSet<>(Arrays.stream(InetAddress.getAllByName(host)).map(InetAddress::getHostAddress)
                    .toList());
        } catch (UnknownHostException e) {
            return Set.of();
        }
    }

    void stop() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
