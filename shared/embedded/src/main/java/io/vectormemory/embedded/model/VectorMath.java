package io.vectormemory.embedded.model;

/**
 * Vector sums computed in single precision in the same order as Qdrant on x86_64
 * (lib/segment/src/spaces/simple.rs, simple_avx.rs, simple_sse.rs at v1.16.0), so scores are
 * bit-for-bit those of a Qdrant server on a CPU with AVX and FMA:
 * <ul>
 *   <li>32 dimensions or more: the AVX+FMA kernels: 4 × 8 lane accumulators updated with fused
 *       multiply-add ({@link Math#fma}), combined by {@code four_way_hsum}, then the remaining
 *       {@code n % 32} elements added one by one;</li>
 *   <li>16 to 31 dimensions: the SSE kernels: 4 × 4 lanes with separate multiply and add,
 *       each reduced by {@code hsum128_ps_sse} and added left to right, then the tail;</li>
 *   <li>fewer: the plain sequential sums.</li>
 * </ul>
 * (Qdrant on aarch64 uses NEON kernels with another order; scores there can differ in the last
 * bits.)
 */
public final class VectorMath {

    private static final int AVX_MIN = 32;
    private static final int SSE_MIN = 16;

    private VectorMath() {
    }

    private enum Op { DOT, SQUARED_DIFF, ABS_DIFF }

    /** Sum of a[i]*b[i]. */
    public static float dot(float[] a, float[] b) {
        return sum(Op.DOT, a, b);
    }

    /** Sum of (a[i]-b[i])². */
    public static float squaredDistance(float[] a, float[] b) {
        return sum(Op.SQUARED_DIFF, a, b);
    }

    /** Sum of |a[i]-b[i]|. */
    public static float manhattanDistance(float[] a, float[] b) {
        return sum(Op.ABS_DIFF, a, b);
    }

    /** Sum of a[i]² as {@code cosine_preprocess} computes it. */
    public static float squaredLength(float[] a) {
        return sum(Op.DOT, a, a);
    }

    private static float sum(Op op, float[] a, float[] b) {
        int n = a.length;
        if (n >= AVX_MIN) {
            return avx(op, a, b);
        }
        if (n >= SSE_MIN) {
            return sse(op, a, b);
        }
        // Rust's f32 Sum starts from -0.0 (since Rust 1.82)
        float s = -0.0f;
        for (int i = 0; i < n; i++) {
            s += term(op, a[i], b[i]);
        }
        return s;
    }

    private static float term(Op op, float x, float y) {
        return switch (op) {
            case DOT -> x * y;
            case SQUARED_DIFF -> {
                float d = x - y;
                yield d * d;
            }
            case ABS_DIFF -> Math.abs(x - y);
        };
    }

    private static float avx(Op op, float[] a, float[] b) {
        int n = a.length;
        int m = n - (n % 32);
        float[] acc = new float[32]; // lanes of sum256_1..4: acc[8 * register + lane]
        switch (op) {
            case DOT -> {
                for (int i = 0; i < m; i += 32) {
                    for (int j = 0; j < 32; j++) {
                        acc[j] = Math.fma(a[i + j], b[i + j], acc[j]);
                    }
                }
            }
            case SQUARED_DIFF -> {
                for (int i = 0; i < m; i += 32) {
                    for (int j = 0; j < 32; j++) {
                        float d = a[i + j] - b[i + j];
                        acc[j] = Math.fma(d, d, acc[j]);
                    }
                }
            }
            case ABS_DIFF -> {
                for (int i = 0; i < m; i += 32) {
                    for (int j = 0; j < 32; j++) {
                        acc[j] = Math.abs(a[i + j] - b[i + j]) + acc[j];
                    }
                }
            }
        }
        // four_way_hsum: total = (r1 + r2) + (r3 + r4) lane-wise, then hsum256_ps_avx(total)
        float[] total = new float[8];
        for (int lane = 0; lane < 8; lane++) {
            total[lane] = (acc[lane] + acc[8 + lane]) + (acc[16 + lane] + acc[24 + lane]);
        }
        // hsum256_ps_avx: lr = high half + low half; hadd -> (lr0 + lr1), (lr2 + lr3); sum of both
        float lr0 = total[4] + total[0];
        float lr1 = total[5] + total[1];
        float lr2 = total[6] + total[2];
        float lr3 = total[7] + total[3];
        float result = (lr0 + lr1) + (lr2 + lr3);
        for (int i = m; i < n; i++) {
            result += term(op, a[i], b[i]);
        }
        return result;
    }

    private static float sse(Op op, float[] a, float[] b) {
        int n = a.length;
        int m = n - (n % 16);
        float[] acc = new float[16]; // lanes of sum128_1..4: acc[4 * register + lane]
        for (int i = 0; i < m; i += 16) {
            for (int j = 0; j < 16; j++) {
                acc[j] = term(op, a[i + j], b[i + j]) + acc[j];
            }
        }
        float result = hsum128(acc, 0) + hsum128(acc, 4);
        result += hsum128(acc, 8);
        result += hsum128(acc, 12);
        for (int i = m; i < n; i++) {
            result += term(op, a[i], b[i]);
        }
        return result;
    }

    /** hsum128_ps_sse: (x0 + x2) + (x1 + x3). */
    private static float hsum128(float[] x, int at) {
        return (x[at] + x[at + 2]) + (x[at + 1] + x[at + 3]);
    }
}
