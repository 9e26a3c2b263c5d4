package io.vectormemory.embedded.store.lucene;

import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.vectormemory.embedded.model.JsonPath;
import io.vectormemory.embedded.store.PayloadIndexSpec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * How payload values are indexed for filtering. Every payload is indexed the same way, whether or
 * not the collection has a payload index on a key (Qdrant filters on unindexed keys too; here they
 * are fast as well, and creating a payload index never rewrites points).
 *
 * <p>A key path reached through objects only (first key plus up to {@link #MAX_DEPTH}−1 nested keys,
 * what {@link JsonPath#get} finds for a path of plain keys) is encoded as its keys joined by U+001F.
 * Under it, terms of the single field {@link #TERMS} are {@code path U+0000 kind value}:
 * <ul>
 *   <li>{@code s} + string (strings up to {@link #MAX_KEYWORD_CHARS} characters), {@code i} + decimal
 *       integer, {@code b} + {@code 1}/{@code 0}: the value, or each element of an array value (one
 *       level, as Qdrant's match conditions look into arrays);</li>
 *   <li>{@code n}: the value is null (is_null); {@code x}: the value is neither null nor an empty array
 *       (the complement of is_empty);</li>
 *   <li>{@code T} + schema type: a value (or array element) a payload index of that type would index,
 *       for the {@code points} count of collection info.</li>
 * </ul>
 * Numbers (integers and doubles, as doubles like Qdrant's range condition) go to the 2-dimensional
 * point field {@link #NUMBERS} as (64-bit hash of the path, sortable double), so a range condition on
 * any key is one point range query. Keys containing U+0000 or U+001F are not indexed; conditions on
 * them, deeper paths and longer strings are evaluated on the stored payload instead
 * ({@link PayloadConditionQuery}).
 */
final class PayloadFields {

    static final String TERMS = "p";
    static final String NUMBERS = "n";
    /** Keys of a path indexed: the first and up to three nested ones. */
    static final int MAX_DEPTH = 4;
    static final int MAX_KEYWORD_CHARS = 256;

    static final char STRING = 's';
    static final char INTEGER = 'i';
    static final char BOOL = 'b';
    static final char NULL = 'n';
    static final char NON_EMPTY = 'x';
    static final char TYPE = 'T';

    private static final char SEPARATOR = '\u001f';
    private static final char END_OF_PATH = '\u0000';

    private static final PayloadSchemaType[] TYPES = EnumSet.complementOf(
            EnumSet.of(PayloadSchemaType.UnknownType, PayloadSchemaType.UNRECOGNIZED)).toArray(new PayloadSchemaType[0]);

    private PayloadFields() {
    }

    /** The encoded path of a key path of plain keys within the indexed depth, or null. */
    static String path(JsonPath key) {
        if (key.rest().size() >= MAX_DEPTH || !indexableKey(key.firstKey())) {
            return null;
        }
        StringBuilder sb = new StringBuilder(key.firstKey());
        for (JsonPath.Item item : key.rest()) {
            if (!(item instanceof JsonPath.Key k) || !indexableKey(k.name())) {
                return null;
            }
            sb.append(SEPARATOR).append(k.name());
        }
        return sb.toString();
    }

    private static boolean indexableKey(String key) {
        return key.indexOf(SEPARATOR) < 0 && key.indexOf(END_OF_PATH) < 0;
    }

    static Term term(String path, char kind, String value) {
        return new Term(TERMS, new BytesRef(path + END_OF_PATH + kind + value));
    }

    static Term term(String path, char kind) {
        return term(path, kind, "");
    }

    static Term keyword(String path, String value) {
        return term(path, STRING, value);
    }

    static Term integer(String path, long value) {
        return term(path, INTEGER, Long.toString(value));
    }

    static Term bool(String path, boolean value) {
        return term(path, BOOL, value ? "1" : "0");
    }

    static Term type(String path, PayloadSchemaType type) {
        return term(path, TYPE, type.name());
    }

    /** Sortable form of a double; -0.0 counts as 0.0 like Java's (and Rust's) comparison operators. */
    static long sortable(double v) {
        return NumericUtils.doubleToSortableLong(v == 0 ? 0.0 : v);
    }

    /** First 8 bytes of SHA-256 of the encoded path. */
    static long pathHash(String path) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(path.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xFF);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds the filter fields of a payload to a document. */
    static void index(Map<String, Value> payload, Document doc) {
        payload.forEach((key, value) -> {
            if (indexableKey(key)) {
                walk(key, value, 1, doc);
            }
        });
    }

    private static void walk(String path, Value v, int depth, Document doc) {
        if (v.hasNullValue()) {
            add(doc, term(path, NULL));
        } else if (!(v.hasListValue() && v.getListValue().getValuesCount() == 0)) {
            add(doc, term(path, NON_EMPTY));
        }
        EnumSet<PayloadSchemaType> types = EnumSet.noneOf(PayloadSchemaType.class);
        if (v.hasListValue()) {
            List<Value> elements = v.getListValue().getValuesList();
            for (Value e : elements) {
                scalar(path, e, doc, types);
            }
        } else {
            scalar(path, v, doc, types);
        }
        for (PayloadSchemaType t : types) {
            add(doc, type(path, t));
        }
        if (v.hasStructValue() && depth < MAX_DEPTH) {
            v.getStructValue().getFieldsMap().forEach((key, child) -> {
                if (indexableKey(key)) {
                    walk(path + SEPARATOR + key, child, depth + 1, doc);
                }
            });
        }
    }

    private static void scalar(String path, Value v, Document doc, EnumSet<PayloadSchemaType> types) {
        switch (v.getKindCase()) {
            case STRING_VALUE -> {
                if (v.getStringValue().length() <= MAX_KEYWORD_CHARS) {
                    add(doc, keyword(path, v.getStringValue()));
                }
            }
            case INTEGER_VALUE -> {
                add(doc, integer(path, v.getIntegerValue()));
                doc.add(new LongPoint(NUMBERS, pathHash(path), sortable((double) v.getIntegerValue())));
            }
            case DOUBLE_VALUE -> doc.add(new LongPoint(NUMBERS, pathHash(path), sortable(v.getDoubleValue())));
            case BOOL_VALUE -> add(doc, bool(path, v.getBoolValue()));
            default -> {
            }
        }
        for (PayloadSchemaType t : TYPES) {
            if (!types.contains(t) && PayloadIndexSpec.accepts(t, v)) {
                types.add(t);
            }
        }
    }

    private static void add(Document doc, Term term) {
        doc.add(new StringField(term.field(), term.bytes(), Field.Store.NO));
    }
}
