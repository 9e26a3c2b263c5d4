package io.vectormemory.embedded.model;

/**
 * Vector distance functions computed in single precision like Qdrant
 * (lib/segment/src/spaces/simple.rs, v1.16.0), with the summation order of its x86 kernels
 * ({@link VectorMath}).
 *
 * <p>Qdrant works with an internal <em>similarity</em> where larger is always better:
 * dot product for Cosine (vectors normalised on the way in) and Dot, the negated squared
 * distance for Euclid and the negated L1 distance for Manhattan. The score a client sees is the
 * post-processed similarity ({@code Distance::postprocess_score}): unchanged for Cosine/Dot,
 * {@code sqrt(|s|)} for Euclid and {@code |s|} for Manhattan, so for those two a lower score is
 * better. Ranking uses the internal similarity.
 */
public enum Distance {
    COSINE, EUCLID, DOT, MANHATTAN;

    /** {@code is_length_zero_or_normalized} threshold (lib/segment/src/spaces/tools.rs). */
    private static final float NORMALIZED_EPSILON = 1.0e-6f;

    /** Rust {@code f32::EPSILON}. */
    private static final float F32_EPSILON = Math.ulp(1.0f);

    /**
     * Preprocessing applied to stored and query vectors: Cosine normalises to unit length
     * ({@code cosine_preprocess}); a zero or already normalised vector is left as it is.
     * Returns a new array (or the input when unchanged).
     */
    public float[] preprocess(float[] vector) {
        if (this != COSINE) {
            return vector;
        }
        float length = VectorMath.squaredLength(vector);
        if (length < F32_EPSILON || Math.abs(length - 1.0f) <= NORMALIZED_EPSILON) {
            return vector;
        }
        length = (float) Math.sqrt(length);
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = vector[i] / length;
        }
        return out;
    }

    /** Internal similarity of two preprocessed vectors; larger is better for every distance. */
    public float similarity(float[] a, float[] b) {
        return switch (this) {
            case COSINE, DOT -> VectorMath.dot(a, b);
            case EUCLID -> -VectorMath.squaredDistance(a, b);
            case MANHATTAN -> -VectorMath.manhattanDistance(a, b);
        };
    }

    /** The score reported to clients for an internal similarity. */
    public float postprocess(float similarity) {
        return switch (this) {
            case COSINE, DOT -> similarity;
            case EUCLID -> (float) Math.sqrt(Math.abs(similarity));
            case MANHATTAN -> Math.abs(similarity);
        };
    }

    /** True when a larger client-visible score is better. */
    public boolean largerIsBetter() {
        return this == COSINE || this == DOT;
    }

    /**
     * {@code Distance::check_threshold} (lib/segment/src/types.rs), applied to post-processed
     * scores in lib/collection/src/shards/local_shard/search.rs: strictly greater for
     * Cosine/Dot, strictly smaller for Euclid/Manhattan. A score equal to the threshold is
     * therefore <em>not</em> returned.
     */
    public boolean passesThreshold(float score, float threshold) {
        return largerIsBetter() ? score > threshold : score < threshold;
    }
}
