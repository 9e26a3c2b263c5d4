package io.vectormemory.qdrant;

import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.vectormemory.qdrant.store.PointIds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.qdrant.client.ValueFactory.value;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/** Payloads and vectors for the backend contract, small enough to read (dimension 8). */
final class Samples {
    static final int DIMENSION = 8;
    static final long CREATED = 1_767_225_600L;
    static final long USER = 42;
    static final long OTHER_USER = 43;

    private Samples() {
    }

    /** A memory payload as the API stores it, without {@code _point_id} (Points adds it). */
    static Map<String, Value> memory(long userId, String category, boolean active) {
        Map<String, Value> p = new LinkedHashMap<>();
        p.put("user_id", value(userId));
        p.put("category", value(category));
        p.put("key", value("favourite_food"));
        p.put("value", value("Spicy ramen"));
        p.put("source", value("auto_detected"));
        p.put("created", value(CREATED));
        p.put("updated", value(CREATED));
        p.put("active", value(active));
        return p;
    }

    /** A document chunk payload. */
    static Map<String, Value> document(long userId, long fileId, String groupKey, int chunk) {
        Map<String, Value> p = new LinkedHashMap<>();
        p.put("user_id", value(userId));
        p.put("file_id", value(fileId));
        p.put("group_key", value(groupKey));
        p.put("file_type", value(1));
        p.put("chunk_index", value(chunk));
        p.put("start_line", value(chunk * 10L + 1));
        p.put("end_line", value(chunk * 10L + 10));
        p.put("text", value("chunk " + chunk + " of file " + fileId));
        p.put("created", value(CREATED));
        return p;
    }

    static float[] vector(float... v) {
        if (v.length != DIMENSION) {
            throw new IllegalArgumentException("expected " + DIMENSION + " components");
        }
        return v;
    }

    /** A distinct, non-normalised vector per i, so search results have no ties. */
    static float[] spread(int i) {
        float[] v = new float[DIMENSION];
        v[0] = 3f;
        v[1 + i % (DIMENSION - 1)] = 0.5f + i * 0.25f;
        return v;
    }

    static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }

    /** Cosine similarity as Qdrant defines it: the dot product of the two normalised vectors. */
    static double cosine(float[] a, float[] b) {
        float[] na = normalised(a);
        float[] nb = normalised(b);
        double dot = 0;
        for (int i = 0; i < na.length; i++) {
            dot += (double) na[i] * nb[i];
        }
        return dot;
    }

    /** Each hit's score is the cosine of the query and that point's vector, computed here, within 1e-5. */
    static void assertScores(List<ScoredPoint> hits, float[] query, Map<String, float[]> vectors) {
        for (ScoredPoint hit : hits) {
            String id = hit.getPayloadMap().get(PointIds.FIELD).getStringValue();
            assertThat("score of " + id, (double) hit.getScore(), closeTo(cosine(query, vectors.get(id)), 1e-5));
        }
    }

    static void assertVector(float[] actual, float[] expected) {
        assertThat(actual.length, is(expected.length));
        for (int i = 0; i < expected.length; i++) {
            assertThat("component " + i, (double) actual[i], closeTo(expected[i], 1e-6));
        }
    }
}
