package io.vectormemory.embedded.journal;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * The journal on disk: a directory of segment files {@code <first LSN, 20 digits>.wal}.
 *
 * <p>A segment starts with a header (magic {@code VMQJ}, format version, first LSN, CRC32C of the
 * header) followed by records framed as {@code length (int), CRC32C (int), LSN (long), payload}
 * where the payload is a protobuf {@link Any} of {@code length} bytes and the checksum covers LSN
 * and payload. LSNs are consecutive within and across segments.
 *
 * <p>Durability: {@link #append} writes a record to the file (the OS page cache) under a lock;
 * {@link #sync} waits until one {@code fdatasync} covered it. The first waiter becomes the leader
 * and flushes everything appended so far; the others wait for it or for the next leader, so
 * concurrent writers share flushes.
 *
 * <p>Recovery at open: a record that is cut short or fails its checksum ends the last segment
 * (a crash during an append leaves such a torn tail; nothing after it was acknowledged because
 * acknowledgements wait for the flush, which covers everything before). The torn bytes are moved
 * to {@code <segment>.torn-<n>} for inspection and the segment is truncated. The same damage in an
 * earlier segment, a bad header or missing LSNs are corruption of acknowledged data: opening fails
 * instead of serving a state that lost writes.
 */
public final class WriteAheadLog implements Journal {

    private static final Logger LOG = Logger.getLogger(WriteAheadLog.class.getName());

    private static final int MAGIC = 0x564D514A; // "VMQJ"
    private static final int VERSION = 1;
    static final int HEADER_BYTES = 4 + 4 + 8 + 4;
    static final int FRAME_BYTES = 4 + 4 + 8;
    /** Larger than any request the gRPC server accepts (64 MiB). */
    private static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;
    private static final String SUFFIX = ".wal";

    /** Receives the records found at open, in LSN order. */
    @FunctionalInterface
    public interface Replay {
        void accept(long lsn, Any record);
    }

    private final Path dir;
    /** First LSN of each segment file that is still on disk (current one last). */
    private final TreeMap<Long, Path> segments;
    private FileChannel channel;
    private long segmentBytes;
    private long lastLsn;
    private long durableLsn;
    private boolean syncing;
    private IOException broken;
    private final ExecutorService background;
    private final AtomicBoolean syncScheduled = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong flushes = new java.util.concurrent.atomic.AtomicLong();

    private WriteAheadLog(Path dir, TreeMap<Long, Path> segments, FileChannel channel, long segmentBytes,
                          long lastLsn) {
        this.dir = dir;
        this.segments = segments;
        this.channel = channel;
        this.segmentBytes = segmentBytes;
        this.lastLsn = lastLsn;
        this.durableLsn = lastLsn;
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "journal-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens (creating if needed) the journal in {@code dir} and replays its records.
     *
     * @param firstLsn LSN to start from when the directory holds no segment yet
     * @throws IOException if a file cannot be read or the journal is corrupt
     */
    public static WriteAheadLog open(Path dir, long firstLsn, Replay replay) throws IOException {
        Files.createDirectories(dir);
        TreeMap<Long, Path> segments = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    segments.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), f);
                } catch (NumberFormatException e) {
                    throw new IOException("journal " + dir + ": unexpected file " + name);
                }
            }
        }
        if (segments.isEmpty()) {
            Path first = createSegment(dir, firstLsn);
            segments.put(firstLsn, first);
            FileChannel ch = FileChannel.open(first, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ch.position(HEADER_BYTES);
            return new WriteAheadLog(dir, segments, ch, 0, firstLsn - 1);
        }
        long expected = segments.firstKey();
        long records = 0;
        Path last = segments.lastEntry().getValue();
        long validEnd = HEADER_BYTES;
        for (var e : segments.entrySet()) {
            if (e.getKey() != expected) {
                throw new IOException("journal " + dir + ": records " + expected + " to " + (e.getKey() - 1)
                        + " are missing (segment " + e.getValue().getFileName() + " follows)");
            }
            boolean isLast = e.getValue().equals(last);
            SegmentReader reader = new SegmentReader(e.getValue(), e.getKey());
            reader.read(replay);
            records += reader.records;
            expected = reader.nextLsn;
            if (reader.damage != null) {
                if (!isLast) {
                    throw new IOException("journal segment " + e.getValue() + " is corrupt at byte " + reader.validEnd
                            + " (" + reader.damage + "); later segments exist, so acknowledged writes would be lost");
                }
                quarantineTail(e.getValue(), reader.validEnd, reader.damage);
            }
            validEnd = reader.validEnd;
        }
        FileChannel ch = FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (ch.size() != validEnd) {
            ch.truncate(validEnd);
            ch.force(true);
        }
        ch.position(validEnd);
        long replayed = records;
        LOG.fine(() -> "Journal " + dir + ": replayed " + replayed + " records");
        return new WriteAheadLog(dir, segments, ch, validEnd - HEADER_BYTES, expected - 1);
    }

    /** Copies the bytes after {@code validEnd} aside; the caller truncates. */
    private static void quarantineTail(Path segment, long validEnd, String damage) throws IOException {
        long size = Files.size(segment);
        Path aside = null;
        for (int n = 1; aside == null || Files.exists(aside); n++) {
            aside = segment.resolveSibling(segment.getFileName() + ".torn-" + n);
        }
        try (FileChannel in = FileChannel.open(segment, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(validEnd, size - validEnd, out);
            out.force(true);
        }
        Path kept = aside;
        LOG.warning(() -> "Journal " + segment + ": incomplete record at byte " + validEnd + " (torn write: "
                + damage + "); truncating " + (size - validEnd) + " trailing bytes, kept in " + kept.getFileName());
    }

    private static Path createSegment(Path dir, long firstLsn) throws IOException {
        Path file = dir.resolve(String.format("%020d", firstLsn) + SUFFIX);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).putInt(VERSION).putLong(firstLsn);
        CRC32C crc = new CRC32C();
        crc.update(header.array(), 0, 16);
        header.putInt((int) crc.getValue()).flip();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            while (header.hasRemaining()) {
                ch.write(header);
            }
            ch.force(true);
        }
        // a segment appears complete with its header or not at all
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
        return file;
    }

    /** Reads one segment's records. */
    private static final class SegmentReader {
        final Path file;
        final long firstLsn;
        long nextLsn;
        long validEnd;
        long records;
        String damage;

        SegmentReader(Path file, long firstLsn) {
            this.file = file;
            this.firstLsn = firstLsn;
            this.nextLsn = firstLsn;
        }

        void read(Replay replay) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
                readFully(ch, header, 0);
                header.flip();
                CRC32C crc = new CRC32C();
                crc.update(header.array(), 0, 16);
                if (header.remaining() < HEADER_BYTES || header.getInt(0) != MAGIC
                        || header.getInt(16) != (int) crc.getValue() || header.getLong(8) != firstLsn) {
                    throw new IOException("journal segment " + file + " has no valid header");
                }
                if (header.getInt(4) != VERSION) {
                    throw new IOException("journal segment " + file + " has unsupported format version "
                            + header.getInt(4));
                }
                long pos = HEADER_BYTES;
                validEnd = pos;
                ByteBuffer frame = ByteBuffer.allocate(FRAME_BYTES);
                while (pos < size) {
                    if (size - pos < FRAME_BYTES) {
                        damage = "frame header cut short";
                        return;
                    }
                    frame.clear();
                    readFully(ch, frame, pos);
                    int length = frame.getInt(0);
                    int checksum = frame.getInt(4);
                    long lsn = frame.getLong(8);
                    if (length < 0 || length > MAX_RECORD_BYTES) {
                        damage = "invalid length " + length;
                        return;
                    }
                    if (size - pos - FRAME_BYTES < length) {
                        damage = "record cut short";
                        return;
                    }
                    ByteBuffer payload = ByteBuffer.allocate(length);
                    readFully(ch, payload, pos + FRAME_BYTES);
                    crc.reset();
                    crc.update(frame.array(), 8, 8);
                    crc.update(payload.array(), 0, length);
                    if ((int) crc.getValue() != checksum) {
                        damage = "checksum mismatch";
                        return;
                    }
                    if (lsn != nextLsn) {
                        damage = "LSN " + lsn + " where " + nextLsn + " was expected";
                        return;
                    }
                    Any record;
                    try {
                        record = Any.parseFrom(payload.array());
                    } catch (InvalidProtocolBufferException e) {
                        damage = "unreadable record";
                        return;
                    }
                    replay.accept(lsn, record);
                    records++;
                    nextLsn++;
                    pos += FRAME_BYTES + length;
                    validEnd = pos;
                }
            }
        }

        private static void readFully(FileChannel ch, ByteBuffer buffer, long position) throws IOException {
            long p = position;
            while (buffer.hasRemaining()) {
                int n = ch.read(buffer, p);
                if (n < 0) {
                    break;
                }
                p += n;
            }
        }
    }

    @Override
    public long append(Message record) throws IOException {
        Any any = Any.pack(record);
        int length = any.getSerializedSize();
        if (length > MAX_RECORD_BYTES) {
            throw new IOException("journal record too large: " + length + " bytes");
        }
        // the payload is serialised straight into the frame: a batch of 100 points of 1024 dimensions is 400 KB,
        // and every copy of it is garbage the collector has to make room for while writers wait
        ByteBuffer buffer = ByteBuffer.allocate(FRAME_BYTES + length);
        CodedOutputStream out = CodedOutputStream.newInstance(buffer.array(), FRAME_BYTES, length);
        any.writeTo(out);
        out.checkNoSpaceLeft();
        synchronized (this) {
            if (broken != null) {
                throw new IOException("journal " + dir + " is unusable after an earlier failure", broken);
            }
            long lsn = lastLsn + 1;
            CRC32C crc = new CRC32C();
            buffer.putInt(length).putInt(0).putLong(lsn).position(FRAME_BYTES + length);
            crc.update(buffer.array(), 8, 8 + length);
            buffer.putInt(4, (int) crc.getValue()).flip();
            long start = HEADER_BYTES + segmentBytes;
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                // leave no partial record behind; if even that fails, stop accepting writes
                try {
                    channel.truncate(start);
                    channel.position(start);
                } catch (IOException again) {
                    e.addSuppressed(again);
                    broken = e;
                }
                throw e;
            }
            segmentBytes += buffer.limit();
            lastLsn = lsn;
            return lsn;
        }
    }

    @Override
    public void sync(long lsn) throws IOException {
        long target;
        FileChannel ch;
        synchronized (this) {
            while (true) {
                if (durableLsn >= lsn) {
                    return;
                }
                if (broken != null) {
                    throw new IOException("journal " + dir + " could not be flushed", broken);
                }
                if (!syncing) {
                    break;
                }
                waitUninterruptibly();
            }
            syncing = true;
            target = lastLsn;
            ch = channel;
        }
        IOException failure = null;
        try {
            ch.force(false);
            flushes.incrementAndGet();
        } catch (IOException e) {
            failure = e;
        }
        synchronized (this) {
            syncing = false;
            if (failure != null) {
                // after a failed fsync the kernel may have dropped the dirty pages: nothing is certain
                broken = failure;
            } else {
                durableLsn = Math.max(durableLsn, target);
            }
            notifyAll();
        }
        if (failure != null) {
            LOG.log(Level.SEVERE, "Journal flush failed; no more writes are accepted", failure);
            throw failure;
        }
    }

    private void waitUninterruptibly() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void syncLater() {
        if (syncScheduled.compareAndSet(false, true)) {
            try {
                background.execute(() -> {
                    syncScheduled.set(false);
                    try {
                        sync(lastLsn());
                    } catch (IOException e) {
                        LOG.log(Level.FINE, "Background journal flush failed", e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                syncScheduled.set(false);
            }
        }
    }

    /** Number of flushes {@link #sync} made (group commit makes it smaller than the number of records). */
    public long flushes() {
        return flushes.get();
    }

    @Override
    public synchronized long lastLsn() {
        return lastLsn;
    }

    @Override
    public synchronized long bytesSinceRoll() {
        return segmentBytes;
    }

    @Override
    public synchronized long roll() throws IOException {
        while (syncing) {
            waitUninterruptibly();
        }
        if (broken != null) {
            throw new IOException("journal " + dir + " is unusable after an earlier failure", broken);
        }
        long first = lastLsn + 1;
        if (segmentBytes == 0) {
            return segments.lastKey();
        }
        syncing = true;
        try {
            channel.force(false);
            durableLsn = lastLsn;
            Path file = createSegment(dir, first);
            FileChannel next = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            next.position(HEADER_BYTES);
            channel.close();
            channel = next;
            segments.put(first, file);
            segmentBytes = 0;
        } catch (IOException e) {
            broken = e;
            throw e;
        } finally {
            syncing = false;
            notifyAll();
        }
        return first;
    }

    @Override
    public void truncateBefore(long lsn) throws IOException {
        List<Path> obsolete = new ArrayList<>();
        synchronized (this) {
            // a segment can go when the next one starts at or before lsn; the current one always stays
            while (segments.size() > 1) {
                Long second = segments.higherKey(segments.firstKey());
                if (second > lsn) {
                    break;
                }
                obsolete.add(segments.pollFirstEntry().getValue());
            }
        }
        // oldest first, so a crash in between leaves a contiguous suffix
        for (Path p : obsolete) {
            Files.deleteIfExists(p);
        }
        if (!obsolete.isEmpty()) {
            forceDirectory(dir);
        }
    }

    @Override
    public void close() {
        background.shutdown();
        synchronized (this) {
            while (syncing) {
                waitUninterruptibly();
            }
            try {
                if (channel.isOpen()) {
                    if (broken == null) {
                        channel.force(false);
                        durableLsn = lastLsn;
                    }
                    channel.close();
                }
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "Journal " + dir + " could not be closed cleanly", e);
            }
        }
    }

    static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.log(Level.FINE, "Cannot fsync directory " + dir, e);
        }
    }
}
