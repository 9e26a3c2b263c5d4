package io.vectormemory.embedded.store.lucene;

import com.google.protobuf.InvalidProtocolBufferException;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.vectormemory.embedded.model.PointId;
import io.vectormemory.embedded.store.StoredPoint;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Lucene document per point: the id (indexed term for lookups and deletes, sorted doc value for
 * id order), the vector (HNSW-indexed; its stored float32 values are the exact preprocessed vector),
 * the payload as protobuf bytes (a binary doc value, read for results and exact filter checks), the
 * version, and the payload's filter fields ({@link PayloadFields}).
 */
final class PointDocuments {

    static final String ID = "_id";
    static final String VECTOR = "_vector";
    static final String PAYLOAD = "_payload";
    static final String VERSION = "_version";

    private PointDocuments() {
    }

    static Document document(StoredPoint p, VectorSimilarityFunction similarity) {
        Document doc = new Document();
        BytesRef id = PointKeys.encode(p.id());
        doc.add(new StringField(ID, id, Field.Store.NO));
        doc.add(new SortedDocValuesField(ID, id));
        doc.add(new KnnFloatVectorField(VECTOR, p.vector(), similarity));
        doc.add(new BinaryDocValuesField(PAYLOAD, new BytesRef(
                Struct.newBuilder().putAllFields(p.payload()).build().toByteArray())));
        doc.add(new NumericDocValuesField(VERSION, p.version()));
        PayloadFields.index(p.payload(), doc);
        return doc;
    }

    static Map<String, Value> payload(BytesRef bytes) {
        try {
            Struct s = Struct.parseFrom(java.nio.ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length));
            return Collections.unmodifiableMap(new LinkedHashMap<>(s.getFieldsMap()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable stored payload", e);
        }
    }

    /**
     * Reads points of one segment. Doc values iterators only move forward: use it for increasing doc
     * ids, or make a new one.
     */
    static final class LeafPoints {
        private final LeafReader reader;
        private final SortedDocValues ids;
        private final BinaryDocValues payloads;
        private final NumericDocValues versions;
        private final FloatVectorValues vectors;
        private final KnnVectorValues.DocIndexIterator vectorDocs;
        private final boolean dense;

        LeafPoints(LeafReader reader) {
            this.reader = reader;
            try {
                this.ids = reader.getSortedDocValues(ID);
                this.payloads = reader.getBinaryDocValues(PAYLOAD);
                this.versions = reader.getNumericDocValues(VERSION);
                this.vectors = reader.getFloatVectorValues(VECTOR);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            this.dense = vectors != null && vectors.size() == reader.maxDoc();
            this.vectorDocs = vectors == null || dense ? null : vectors.iterator();
        }

        PointId id(int doc) throws IOException {
            return PointKeys.decode(idBytes(doc));
        }

        /** The id term of a document (valid until the next call). */
        BytesRef idBytes(int doc) throws IOException {
            if (ids == null || !ids.advanceExact(doc)) {
                throw new IllegalStateException("document without id: " + doc);
            }
            return ids.lookupOrd(ids.ordValue());
        }

        Map<String, Value> payload(int doc) throws IOException {
            if (payloads == null || !payloads.advanceExact(doc)) {
                return Map.of();
            }
            return PointDocuments.payload(payloads.binaryValue());
        }

        long version(int doc) throws IOException {
            return versions != null && versions.advanceExact(doc) ? versions.longValue() : 0;
        }

        /** Ordinal of the document's vector, or -1. */
        int vectorOrd(int doc) throws IOException {
            if (vectors == null) {
                return -1;
            }
            if (dense) {
                return doc;
            }
            if (vectorDocs.docID() < doc) {
                vectorDocs.advance(doc);
            }
            return vectorDocs.docID() == doc ? vectorDocs.index() : -1;
        }

        /** The vector of an ordinal; a shared buffer, valid until the next call. */
        float[] vector(int ord) throws IOException {
            return vectors.vectorValue(ord);
        }

        StoredPoint point(int doc) throws IOException {
            int ord = vectorOrd(doc);
            float[] vector = ord < 0 ? new float[0] : vector(ord).clone();
            return new StoredPoint(id(doc), vector, payload(doc), version(doc));
        }

        LeafReader reader() {
            return reader;
        }
    }
}
