package io.vectormemory.embedded.engine;

import io.qdrant.client.grpc.Collections.PayloadIndexParams;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.FieldType;
import io.vectormemory.embedded.store.PayloadIndexSpec;

/** CreateFieldIndex conversion like Qdrant's {@code convert_field_type} (src/tonic/api/update_common.rs). */
final class FieldIndexes {

    private FieldIndexes() {
    }

    static PayloadIndexSpec spec(CreateFieldIndexCollection r) {
        if (!r.hasFieldType()) {
            throw ApiError.invalidArgument("cannot convert field_type");
        }
        FieldType type = FieldType.forNumber(r.getFieldTypeValue());
        boolean hasParams = r.hasFieldIndexParams()
                && r.getFieldIndexParams().getIndexParamsCase() != PayloadIndexParams.IndexParamsCase.INDEXPARAMS_NOT_SET;
        if (type == null) {
            if (hasParams) {
                throw ApiError.invalidArgument("field type is missing");
            }
            throw ApiError.badInput("Unable to infer type for the field '" + r.getFieldName()
                    + "'. Please specify `field_type`");
        }
        PayloadSchemaType schema = schemaType(type);
        if (!hasParams) {
            return new PayloadIndexSpec(schema, null);
        }
        PayloadIndexParams params = r.getFieldIndexParams();
        boolean matches = switch (params.getIndexParamsCase()) {
            case KEYWORD_INDEX_PARAMS -> type == FieldType.FieldTypeKeyword;
            case INTEGER_INDEX_PARAMS -> type == FieldType.FieldTypeInteger;
            case FLOAT_INDEX_PARAMS -> type == FieldType.FieldTypeFloat;
            case GEO_INDEX_PARAMS -> type == FieldType.FieldTypeGeo;
            case TEXT_INDEX_PARAMS -> type == FieldType.FieldTypeText;
            case BOOL_INDEX_PARAMS -> type == FieldType.FieldTypeBool;
            case DATETIME_INDEX_PARAMS -> type == FieldType.FieldTypeDatetime;
            case UUID_INDEX_PARAMS -> type == FieldType.FieldTypeUuid;
            case INDEXPARAMS_NOT_SET -> true;
        };
        if (!matches) {
            throw ApiError.invalidArgument("field_type (" + schema.name() + ") and field_index_params do not match");
        }
        return new PayloadIndexSpec(schema, params);
    }

    private static PayloadSchemaType schemaType(FieldType type) {
        return switch (type) {
            case FieldTypeKeyword -> PayloadSchemaType.Keyword;
            case FieldTypeInteger -> PayloadSchemaType.Integer;
            case FieldTypeFloat -> PayloadSchemaType.Float;
            case FieldTypeGeo -> PayloadSchemaType.Geo;
            case FieldTypeText -> PayloadSchemaType.Text;
            case FieldTypeBool -> PayloadSchemaType.Bool;
            case FieldTypeDatetime -> PayloadSchemaType.Datetime;
            case FieldTypeUuid -> PayloadSchemaType.Uuid;
            case UNRECOGNIZED -> throw ApiError.invalidArgument("cannot convert field_type");
        };
    }
}
