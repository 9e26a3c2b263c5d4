package io.vectormemory.embedded.journal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Reader of the journal format of the first release ({@code operations.journal}: length-delimited
 * {@link Any} records without checksums), so that a data directory written by it can be imported.
 * A record that cannot be read completely ends the file (a torn last append).
 */
public final class LegacyJournal {

    private static final Logger LOG = Logger.getLogger(LegacyJournal.class.getName());

    private LegacyJournal() {
    }

    /** Feeds every complete record to {@code records}; returns how many there were. */
    public static long read(Path file, Consumer<Any> records) throws IOException {
        long n = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            while (true) {
                Any record;
                try {
                    record = Any.parseDelimitedFrom(in);
                } catch (InvalidProtocolBufferException e) {
                    long read = n;
                    LOG.warning(() -> "Legacy journal " + file + ": unreadable record after " + read
                            + " records (torn write); ignoring the rest");
                    break;
                }
                if (record == null || record.getTypeUrl().isEmpty()) {
                    break;
                }
                records.accept(record);
                n++;
            }
        }
        return n;
    }
}
