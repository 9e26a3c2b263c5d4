package io.vectormemory.qdrant.store;

import com.google.protobuf.Internal;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.SearchPoints;

/**
 * Puts a {@code float[]} into a protobuf message without boxing: the generated builders only take
 * {@code Iterable<Float>}, which costs one {@code Float} object per element (1024 per vector), except when it is
 * protobuf's own primitive float list: then they copy its array in one go.
 */
final class PackedFloats {
    /** An empty primitive float list of the protobuf runtime (what every message's float field starts as). */
    private static final Internal.FloatList EMPTY = (Internal.FloatList) DenseVector.getDefaultInstance().getDataList();

    private PackedFloats() {
    }

    static DenseVector denseVector(float[] vector) {
        return DenseVector.newBuilder().addAllData(floats(vector)).build();
    }

    /** Sets {@code vector} of a search request builder. */
    static SearchPoints.Builder withVector(SearchPoints.Builder search, float[] vector) {
        return search.clearVector().addAllVector(floats(vector));
    }

    static Internal.FloatList floats(float[] vector) {
        Internal.FloatList list = EMPTY.mutableCopyWithCapacity(vector.length);
        for (float f : vector) {
            list.addFloat(f);
        }
        return list;
    }
}
