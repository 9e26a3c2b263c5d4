package io.vectormemory.tests.support;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Test vectors and the cosine similarity the service must report for them. */
public final class Vectors {
    private Vectors() {
    }

    public static float[] of(double... values) {
        float[] v = new float[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) values[i];
        }
        return v;
    }

    /** A deterministic pseudo-random vector with components in [-1, 1), scaled so it is not unit length. */
    public static float[] random(int dimension, long seed) {
        Random r = new Random(seed);
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * 3.5);
        }
        return v;
    }

    /** A vector whose cosine with {@code base} is exactly {@code cos} (in exact arithmetic). */
    public static float[] atCosine(float[] base, double cos, long seed) {
        double[] u = unitD(base);
        // A direction orthogonal to base (Gram-Schmidt on a random vector).
        float[] r = random(base.length, seed);
        double[] w = new double[base.length];
        double dot = 0;
        for (int i = 0; i < w.length; i++) {
            dot += r[i] * u[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = r[i] - dot * u[i];
        }
        double wn = Math.sqrt(Arrays.stream(w).map(x -> x * x).sum());
        double sin = Math.sqrt(Math.max(0, 1 - cos * cos));
        float[] out = new float[base.length];
        for (int i = 0; i < out.length; i++) {
            // Scaled by 2 so that the service has to normalise.
            out[i] = (float) (2 * (cos * u[i] + sin * w[i] / wn));
        }
        return out;
    }

    /** Cosine similarity, in double precision. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    public static double[] unitD(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        double norm = Math.sqrt(n);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / norm;
        }
        return out;
    }

    /** JSON text of a vector; floats printed so that they parse back to the same float. */
    public static String json(float[] v) {
        return IntStream.range(0, v.length).mapToObj(i -> Float.toString(v[i]).toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(",", "[", "]"));
    }

    public static float[] filled(int dimension, float value) {
        float[] v = new float[dimension];
        Arrays.fill(v, value);
        return v;
    }
}
