package io.vectormemory.embedded.store.lucene;

import io.vectormemory.embedded.store.CollectionSpec;
import io.vectormemory.embedded.store.CollectionStore;
import io.vectormemory.embedded.store.PointStore;
import org.apache.lucene.search.IndexSearcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Collections on disk, one Lucene index each under {@code <root>/<name>-<creation LSN>} (the name made
 * safe for file systems; the real one is in the commit data). A directory without a commit is a
 * creation a crash interrupted and is removed; a dropped collection is renamed to
 * {@code *.dropped} first (atomic), then deleted, and leftovers of that are removed at open.
 */
public final class LuceneCollectionStore implements CollectionStore {

    private static final Logger LOG = Logger.getLogger(LuceneCollectionStore.class.getName());
    private static final String DROPPED = ".dropped";

    static {
        // filters with many conditions (should lists, has_id) must not fail on Lucene's default of 1024
        IndexSearcher.setMaxClauseCount(Math.max(IndexSearcher.getMaxClauseCount(), 1 << 16));
    }

    private final Path root;
    private final Map<String, LucenePointStore> collections = new ConcurrentHashMap<>();

    private LuceneCollectionStore(Path root) {
        this.root = root;
    }

    /**
     * Opens every collection under {@code root} at its last commit.
     *
     * @throws IOException if a collection's index cannot be opened (a damaged commit is never served)
     */
    public static LuceneCollectionStore open(Path root) throws IOException {
        Files.createDirectories(root);
        LuceneCollectionStore store = new LuceneCollectionStore(root);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                if (dir.getFileName().toString().endsWith(DROPPED)) {
                    deleteTree(dir);
                    continue;
                }
                if (!LucenePointStore.exists(dir)) {
                    LOG.warning(() -> "Removing " + dir + ": a collection whose creation did not complete");
                    deleteTree(dir);
                    continue;
                }
                LucenePointStore opened;
                try {
                    opened = LucenePointStore.open(dir);
                } catch (IOException | RuntimeException e) {
                    store.close();
                    throw new IOException("cannot open collection index " + dir + ": " + e.getMessage(), e);
                }
                LucenePointStore other = store.collections.get(opened.name());
                if (other != null) {
                    // only after a crash in the middle of a drop: the later creation is the live one
                    LucenePointStore older = other.createdAt() < opened.createdAt() ? other : opened;
                    LucenePointStore newer = older == other ? opened : other;
                    LOG.warning(() -> "Two indexes for collection `" + newer.name() + "`; removing the older "
                            + older.path());
                    older.close();
                    deleteTree(older.path());
                    opened = newer;
                }
                store.collections.put(opened.name(), opened);
            }
        }
        return store;
    }

    @Override
    public Set<String> names() {
        return Set.copyOf(collections.keySet());
    }

    @Override
    public PointStore open(String name) {
        PointStore store = collections.get(name);
        if (store == null) {
            throw new NoSuchElementException(name);
        }
        return store;
    }

    @Override
    public PointStore create(String name, CollectionSpec spec, long createdAt) {
        Path dir = root.resolve(directoryName(name) + "-" + createdAt);
        try {
            if (Files.exists(dir)) {
                deleteTree(dir);
            }
            Files.createDirectories(dir);
            LucenePointStore store = LucenePointStore.create(dir, name, spec, createdAt);
            if (collections.putIfAbsent(name, store) != null) {
                store.close();
                throw new IllegalStateException("collection exists: " + name);
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the index of collection " + name, e);
        }
    }

    @Override
    public void drop(String name) {
        LucenePointStore store = collections.remove(name);
        if (store == null) {
            return;
        }
        store.close();
        try {
            Path gone = store.path().resolveSibling(store.path().getFileName() + DROPPED);
            Files.move(store.path(), gone, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(gone);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the index of collection " + name, e);
        }
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public void close() {
        for (LucenePointStore store : collections.values()) {
            try {
                store.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Closing collection " + store.name() + " failed", e);
            }
        }
        collections.clear();
    }

    /** Letters, digits, '-' and '_' of the name (at most 48), then a hash so different names never collide. */
    static String directoryName(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && sb.length() < 48; i++) {
            char c = name.charAt(i);
            sb.append((c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')) ? c : '_');
        }
        return sb + "-" + Integer.toHexString(name.hashCode());
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
