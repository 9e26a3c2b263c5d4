package io.vectormemory.http.observe;

import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The JDK's log manager, except that it keeps its handlers while the JVM shuts down. The JDK resets logging in a
 * shutdown hook of its own, which runs at the same time as ours: every line written after that (the requests
 * still finishing during a graceful shutdown, the shutdown's own lines) would be lost. Installed by
 * {@code Startup} before anything logs; the process ends right after our hook, so nothing needs the reset.
 */
public final class ShutdownLogManager extends LogManager {
    private static final String JDK_CLEANER = LogManager.class.getName() + "$Cleaner";

    @Override
    public void reset() {
        if (Thread.currentThread().getClass().getName().equals(JDK_CLEANER)) {
            return;
        }
        super.reset();
    }

    /** Writes out whatever the handlers still hold; the last thing a shutdown does. */
    public static void flush() {
        for (Handler h : Logger.getLogger("").getHandlers()) {
            h.flush();
        }
    }
}
