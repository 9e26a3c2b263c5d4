package io.vectormemory.embedded.journal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A journal file: a sequence of length-delimited protobuf {@link Any} records, each wrapping
 * one Qdrant request message ({@code writeDelimitedTo} / {@code parseDelimitedFrom}).
 *
 * <p>Every append is forced to disk before it returns. At open, all records are replayed in
 * order; a record that cannot be read completely (a crash in the middle of an append leaves a
 * torn last record) ends the journal: the file is truncated at the start of that record and a
 * warning is logged. The file is locked while open, so a second server cannot share it.
 */
public final class FileJournal implements Journal {

    private static final Logger LOG = Logger.getLogger(FileJournal.class.getName());

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private long size;
    private boolean broken;

    private FileJournal(Path file, FileChannel channel, FileLock lock, long size) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.size = size;
    }

    /**
     * Opens (creating if needed) the journal and replays its records.
     *
     * @param file   the journal file
     * @param replay receives every complete record in order
     * @throws IOException if the file cannot be opened or is in use
     */
    public static FileJournal open(Path file, Consumer<Any> replay) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("journal " + file + " is in use by another server");
        }
        try {
            if (created) {
                forceDirectory(dir);
            }
            long valid = replay(channel, file, replay);
            long length = channel.size();
            if (valid < length) {
                LOG.warning(() -> "Journal " + file + ": incomplete record at byte " + valid + " (torn write); "
                        + "truncating " + (length - valid) + " trailing bytes");
                channel.truncate(valid);
                channel.force(true);
            }
            channel.position(valid);
            return new FileJournal(file, channel, lock, valid);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /** Replays complete records; returns the offset just after the last complete one. */
    private static long replay(FileChannel channel, Path file, Consumer<Any> replay) throws IOException {
        channel.position(0);
        CountingInputStream in = new CountingInputStream(
                new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
        long valid = 0;
        long records = 0;
        while (true) {
            Any record;
            try {
                record = Any.parseDelimitedFrom(in);
            } catch (InvalidProtocolBufferException e) {
                LOG.log(Level.FINE, "Journal record at " + valid + " unreadable", e);
                break;
            }
            if (record == null) {
                break;
            }
            if (record.getTypeUrl().isEmpty()) {
                // e.g. zero-filled space after a crash: not a record we wrote
                break;
            }
            replay.accept(record);
            valid = in.count;
            records++;
        }
        long replayed = records;
        LOG.fine(() -> "Journal " + file + ": replayed " + replayed + " records");
        return valid;
    }

    @Override
    public synchronized void append(Message record) throws IOException {
        if (broken) {
            throw new IOException("journal " + file + " is unusable after an earlier write failure");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Any.pack(record).writeDelimitedTo(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
            size += buffer.limit();
        } catch (IOException e) {
            try {
                channel.truncate(size);
                channel.position(size);
                channel.force(false);
            } catch (IOException again) {
                broken = true;
                e.addSuppressed(again);
            }
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (channel.isOpen()) {
                channel.force(true);
                lock.release();
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.log(Level.FINE, "Cannot fsync directory " + dir, e);
        }
    }

    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
