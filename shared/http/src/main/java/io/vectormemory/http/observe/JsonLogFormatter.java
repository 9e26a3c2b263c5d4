package io.vectormemory.http.observe;

import jakarta.json.JsonObjectBuilder;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * One JSON object per log line, for log aggregation. Request lines (already JSON objects) pass through
 * unchanged, so each request is exactly one structured line.
 */
public final class JsonLogFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        String message = formatMessage(record);
        if (message.startsWith("{") && record.getThrown() == null) {
            return message + System.lineSeparator();
        }
        JsonObjectBuilder line = JSON.createObjectBuilder()
                .add("time", Instant.ofEpochMilli(record.getMillis()).toString())
                .add("level", record.getLevel().getName())
                .add("logger", String.valueOf(record.getLoggerName()))
                .add("message", message);
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.add("error", trace.toString());
        }
        return line.build().toString() + System.lineSeparator();
    }
}
