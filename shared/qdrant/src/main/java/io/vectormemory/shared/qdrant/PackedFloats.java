package io.vectormemory.shared.qdrant;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.SearchPoints;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Puts a {@code float[]} into a protobuf message without boxing: the generated builders only take
 * {@code Iterable<Float>} (one {@code Float} object per element, 1024 per vector), but parsing the packed
 * wire form fills their primitive float list directly.
 */
final class PackedFloats {
    private PackedFloats() {
    }

    static DenseVector denseVector(float[] vector) {
        try {
            return DenseVector.parseFrom(packed(DenseVector.DATA_FIELD_NUMBER, vector));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("packed floats did not parse", e);
        }
    }

    /** Sets {@code vector} of a search request builder. */
    static SearchPoints.Builder withVector(SearchPoints.Builder search, float[] vector) {
        try {
            return search.mergeFrom(packed(SearchPoints.VECTOR_FIELD_NUMBER, vector));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("packed floats did not parse", e);
        }
    }

    static byte[] packed(int field, float[] vector) {
        int dataSize = Float.BYTES * vector.length;
        byte[] bytes = new byte[CodedOutputStream.computeTagSize(field)
                + CodedOutputStream.computeUInt32SizeNoTag(dataSize) + dataSize];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(dataSize);
            for (float f : vector) {
                out.writeFloatNoTag(f);
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }
}
