package io.vectormemory.embedded.model;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The summation order is Qdrant's x86 one, visible where float rounding makes the order matter. */
class VectorMathTest {

    private static float[] ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return v;
    }

    @Test
    void avxOrderForThirtyTwoAndMoreDimensions() {
        float[] a = new float[33];
        a[0] = 1e8f;   // lane 0 of the first register
        a[1] = 1f;     // lane 1
        a[4] = -1e8f;  // lane 4: added to lane 0 before lanes 0 and 1 are combined
        // sequentially: (1e8 + 1) rounds to 1e8, minus 1e8 is 0
        assertEquals(1f, VectorMath.dot(Arrays.copyOf(a, 32), ones(32)));
        a[32] = 0.5f;  // the tail is added after the reduction
        assertEquals(1.5f, VectorMath.dot(a, ones(33)));
    }

    @Test
    void sseOrderForSixteenToThirtyOneDimensions() {
        float[] a = new float[16];
        a[0] = 1e8f;
        a[1] = 1f;
        a[2] = -1e8f;  // hsum128: (x0 + x2) + (x1 + x3)
        assertEquals(1f, VectorMath.dot(a, ones(16)));
    }

    @Test
    void sequentialBelowSixteen() {
        float[] a = {1e8f, 1f, -1e8f};
        assertEquals(0f, VectorMath.dot(a, ones(3)));
        assertEquals(25f, VectorMath.squaredDistance(new float[]{3, 4}, new float[]{0, 0}));
        assertEquals(7f, VectorMath.manhattanDistance(new float[]{3, -4}, new float[]{0, 0}));
    }

    @Test
    void cosinePreprocessingNormalisesOnceAndKeepsZeroVectors() {
        float[] v = new float[40];
        Arrays.fill(v, 3f);
        float[] unit = Distance.COSINE.preprocess(v);
        float expected = 3f / (float) Math.sqrt(360f);
        for (float x : unit) {
            assertEquals(expected, x);
        }
        assertArrayEquals(unit, Distance.COSINE.preprocess(unit));
        float[] zero = new float[40];
        assertArrayEquals(new float[40], Distance.COSINE.preprocess(zero));
        assertEquals(-25f, Distance.EUCLID.similarity(new float[]{3, 4}, new float[]{0, 0}));
        assertEquals(5f, Distance.EUCLID.postprocess(-25f));
    }
}
