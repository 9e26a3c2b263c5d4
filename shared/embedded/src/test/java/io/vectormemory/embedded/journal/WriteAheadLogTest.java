package io.vectormemory.embedded.journal;

import com.google.protobuf.StringValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteAheadLogTest {

    @TempDir
    Path dir;

    private record Entry(long lsn, String text) {
    }

    private List<Entry> replayed;

    private WriteAheadLog open(long firstLsn) throws IOException {
        replayed = new ArrayList<>();
        return WriteAheadLog.open(dir, firstLsn, (lsn, any) -> {
            try {
                replayed.add(new Entry(lsn, any.unpack(StringValue.class).getValue()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private static StringValue text(String s) {
        return StringValue.of(s);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }

    @Test
    void recordsAreReplayedInOrderAcrossSegmentsAndOldSegmentsCanBeDropped() throws Exception {
        try (WriteAheadLog wal = open(7)) {
            assertEquals(6, wal.lastLsn());
            assertEquals(7, wal.append(text("a")));
            assertEquals(8, wal.append(text("b")));
            wal.sync(8);
            assertEquals(9, wal.roll());
            assertEquals(9, wal.roll(), "an empty segment is not rolled again");
            assertEquals(9, wal.append(text("c")));
            wal.sync(9);
            assertEquals(2, segments().size());
        }
        try (WriteAheadLog wal = open(1)) {
            assertEquals(List.of(new Entry(7, "a"), new Entry(8, "b"), new Entry(9, "c")), replayed);
            assertEquals(10, wal.append(text("d")));
            wal.sync(10);
            wal.truncateBefore(9);
            assertEquals(1, segments().size());
        }
        try (WriteAheadLog wal = open(1)) {
            assertEquals(List.of(new Entry(9, "c"), new Entry(10, "d")), replayed);
            assertEquals(10, wal.lastLsn());
        }
    }

    /** How the last record is damaged. */
    private static final int CUT_IN_FRAME_HEADER = 0;
    private static final int CUT_IN_PAYLOAD = 1;
    private static final int BAD_CHECKSUM = 2;
    private static final int GARBAGE = 3;

    @ParameterizedTest
    @ValueSource(ints = {CUT_IN_FRAME_HEADER, CUT_IN_PAYLOAD, BAD_CHECKSUM, GARBAGE})
    void tornLastRecordIsCutOffAndKeptAside(int damage) throws Exception {
        try (WriteAheadLog wal = open(1)) {
            wal.append(text("one"));
            wal.append(text("two"));
            wal.sync(2);
        }
        Path segment = segments().getLast();
        long intact;
        try (WriteAheadLog wal = open(1)) {
            intact = Files.size(segment);
            wal.append(text("three is longer than the others"));
            wal.sync(3);
        }
        long full = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            switch (damage) {
                case CUT_IN_FRAME_HEADER -> ch.truncate(intact + 5);
                case CUT_IN_PAYLOAD -> ch.truncate(full - 3);
                case BAD_CHECKSUM -> ch.write(ByteBuffer.wrap(new byte[]{'X'}), full - 2);
                default -> {
                    ch.truncate(intact);
                    ch.write(ByteBuffer.wrap(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}),
                            intact);
                }
            }
        }
        long damaged = Files.size(segment);
        List<LogRecord> logged = LogCapture.capture(WriteAheadLog.class);
        try (WriteAheadLog wal = open(1)) {
            assertEquals(List.of(new Entry(1, "one"), new Entry(2, "two")), replayed);
            assertEquals(intact, Files.size(segment), "torn tail truncated");
            assertEquals(3, wal.append(text("three again")));
            wal.sync(3);
        } finally {
            LogCapture.release(WriteAheadLog.class);
        }
        Path aside = segment.resolveSibling(segment.getFileName() + ".torn-1");
        assertEquals(damaged - intact, Files.size(aside), "the cut bytes are kept for inspection");
        assertEquals(1, logged.stream().filter(r -> r.getLevel() == Level.WARNING
                && r.getMessage().contains("torn write")).count(), logged::toString);
        try (WriteAheadLog wal = open(1)) {
            assertEquals(List.of(new Entry(1, "one"), new Entry(2, "two"), new Entry(3, "three again")), replayed);
        }
    }

    @Test
    void damageBeforeTheLastSegmentRefusesToOpen() throws Exception {
        try (WriteAheadLog wal = open(1)) {
            wal.append(text("one"));
            wal.append(text("two"));
            wal.roll();
            wal.append(text("three"));
            wal.sync(3);
        }
        Path first = segments().getFirst();
        try (FileChannel ch = FileChannel.open(first, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{'X'}), Files.size(first) - 1);
        }
        IOException e = assertThrows(IOException.class, () -> open(1));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void aMissingSegmentRefusesToOpen() throws Exception {
        try (WriteAheadLog wal = open(1)) {
            wal.append(text("one"));
            wal.roll();
            wal.append(text("two"));
            wal.roll();
            wal.append(text("three"));
            wal.sync(3);
        }
        Files.delete(segments().get(1));
        IOException e = assertThrows(IOException.class, () -> open(1));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void aSegmentWithoutValidHeaderRefusesToOpen() throws Exception {
        try (WriteAheadLog wal = open(1)) {
            wal.append(text("one"));
            wal.sync(1);
        }
        Path segment = segments().getFirst();
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{0}), 0);
        }
        assertThrows(IOException.class, () -> open(1));
    }

    @Test
    void concurrentWritersShareFlushes() throws Exception {
        int threads = 8;
        int perThread = 40;
        try (WriteAheadLog wal = open(1)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    futures.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            long lsn = wal.append(text(thread + ":" + i));
                            wal.sync(lsn);
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(threads * perThread, wal.lastLsn());
            assertTrue(wal.flushes() < threads * perThread,
                    "one flush per record would be " + threads * perThread + "; was " + wal.flushes());
        }
        try (WriteAheadLog wal = open(1)) {
            assertEquals(threads * perThread, replayed.size());
        }
    }
}
