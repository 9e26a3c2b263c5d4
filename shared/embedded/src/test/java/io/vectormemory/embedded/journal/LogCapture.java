package io.vectormemory.embedded.journal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what a class logs, for assertions on warnings. */
public final class LogCapture {

    private static final Map<String, Handler> HANDLERS = new ConcurrentHashMap<>();

    private LogCapture() {
    }

    public static List<LogRecord> capture(Class<?> source) {
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Handler old = HANDLERS.put(source.getName(), h);
        if (old != null) {
            Logger.getLogger(source.getName()).removeHandler(old);
        }
        Logger.getLogger(source.getName()).addHandler(h);
        return logged;
    }

    public static void release(Class<?> source) {
        Handler h = HANDLERS.remove(source.getName());
        if (h != null) {
            Logger.getLogger(source.getName()).removeHandler(h);
        }
    }
}
