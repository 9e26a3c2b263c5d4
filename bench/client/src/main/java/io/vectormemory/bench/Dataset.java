package io.vectormemory.bench;

import java.util.SplittableRandom;

/**
 * The benchmark's data, generated deterministically from a seed: every tool (the body files wrk sends, the
 * seeding, the direct gRPC baseline) derives the same vectors and payloads from the same numbers, so the HTTP
 * path and the direct path issue exactly the same searches and writes.
 *
 * <p>Vectors are unit-length Gaussian, like normalised embeddings (BGE-M3: 1024 dimensions). Queries are
 * random too, so with {@code min_score} 0 every search returns a full top-k with payloads.
 */
record Dataset(int dimension, int users, int pointsPerUser, long seed) {
    static final String COLLECTION = "user_memories";
    static final int SEARCH_LIMIT = 5;
    static final float MIN_SCORE = 0.0f;
    static final long CREATED = 1_767_225_600L;
    private static final String[] CATEGORIES = {"preferences", "personal", "work", "health", "travel"};

    /** Users of the upsert load: their own ranges, so the writes never touch the searched users. */
    static final int FUNCTION_WRITE_USERS = 100_000;
    static final int DIRECT_WRITE_USERS = 200_000;

    float[] pointVector(int user, int index) {
        return unit(new SplittableRandom(seed * 1_000_003L + (long) user * 65_537L + index));
    }

    float[] queryVector(int query) {
        return unit(new SplittableRandom(~seed * 7_919L + query));
    }

    /** The user a query is for: consecutive queries go to different users. */
    int queryUser(int query) {
        return (int) ((query * 37L) % users);
    }

    static String pointId(int user, int index) {
        return "mem_" + user + "_" + index;
    }

    static String category(int index) {
        return CATEGORIES[index % CATEGORIES.length];
    }

    static String key(int index) {
        return "fact_" + index;
    }

    static String value(int user, int index) {
        return "Benchmark memory " + index + " of user " + user + ": prefers window seats and spicy ramen";
    }

    private float[] unit(SplittableRandom random) {
        float[] v = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            double g = random.nextGaussian();
            v[i] = (float) g;
            norm += g * g;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimension; i++) {
            v[i] *= scale;
        }
        return v;
    }
}
