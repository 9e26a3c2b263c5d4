package io.vectormemory.upsert;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.vectormemory.http.ApiException;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.PathParams;
import io.vectormemory.http.Route;
import io.vectormemory.http.json.JsonBodies;
import io.vectormemory.http.json.JsonFields;
import io.vectormemory.http.json.JsonResponses;
import io.vectormemory.http.json.PayloadSchema;
import io.vectormemory.http.server.RequestLimits;
import io.vectormemory.qdrant.store.DocumentStore;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * Document chunk writes: upsert one or a batch, delete one, delete a file's, a group's or a user's chunks, move a
 * file to another group. The deletes and the group move answer with the number of chunks concerned.
 * <pre>
 * curl -X POST $BASE/documents -H 'Content-Type: application/json' \
 *   -d '{"point_id": "doc_42_77_0", "vector": [...], "payload": {"user_id": 42, "file_id": 77, ...}}'
 * curl -X POST $BASE/documents/delete-by-file -H 'Content-Type: application/json' -d '{"user_id": 42, "file_id": 77}'
 * </pre>
 */
final class DocumentWrites {
    private final DocumentStore documents;
    private final int dimension;
    private final RequestLimits limits;

    DocumentWrites(DocumentStore documents, int dimension, RequestLimits limits) {
        this.documents = documents;
        this.dimension = dimension;
        this.limits = limits;
    }

    void routing(ApiRoutes routes) {
        routes.add(Route.DOCUMENT_UPSERT, this::upsert)
                .add(Route.DOCUMENT_BATCH, this::batch)
                .add(Route.DOCUMENT_DELETE, this::delete)
                .add(Route.DOCUMENT_DELETE_BY_FILE, this::deleteByFile)
                .add(Route.DOCUMENT_DELETE_BY_GROUP, this::deleteByGroup)
                .add(Route.DOCUMENT_DELETE_USER, this::deleteUser)
                .add(Route.DOCUMENT_UPDATE_GROUP_KEY, this::updateGroupKey);
    }

    private record DocumentWrite(String pointId, float[] vector, Map<String, Value> payload) {
    }

    private DocumentWrite parseWrite(JsonFields body) {
        return new DocumentWrite(limits.pointId(body.requiredString("point_id"), body.path("point_id")),
                body.requiredVector("vector"),
                PayloadSchema.DOCUMENT.validate(body.requiredObject("payload")));
    }

    private void upsert(ServerRequest req, ServerResponse res, PathParams params) {
        DocumentWrite w = parseWrite(body(req));
        if (w.vector().length != dimension) {
            throw ApiException.badRequest("Vector must have exactly " + dimension + " dimensions, got "
                    + w.vector().length);
        }
        documents.upsert(List.of(documents.point(w.pointId(), w.vector(), w.payload())));
        JsonResponses.empty(res);
    }

    private void batch(ServerRequest req, ServerResponse res, PathParams params) {
        JsonArray items = body(req).requiredArray("documents");
        int max = limits.batchMaxPoints();
        if (items.size() > max) {
            throw ApiException.badRequest("Maximum " + max + " documents per batch");
        }
        List<DocumentWrite> writes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            writes.add(parseWrite(JsonFields.of(items.get(i), "documents[" + i + "]")));
        }
        JsonArrayBuilder errors = JSON.createArrayBuilder();
        List<PointStruct> points = new ArrayList<>(writes.size());
        for (DocumentWrite w : writes) {
            if (w.vector().length != dimension) {
                errors.add("Document " + w.pointId() + ": invalid vector dimension");
            } else {
                points.add(documents.point(w.pointId(), w.vector(), w.payload()));
            }
        }
        if (!points.isEmpty()) {
            documents.upsert(points);
        }
        JsonResponses.json(res, JSON.createObjectBuilder()
                .add("success_count", points.size())
                .add("failed_count", writes.size() - points.size())
                .add("errors", errors)
                .build());
    }

    private void delete(ServerRequest req, ServerResponse res, PathParams params) {
        documents.delete(params.get("point_id"));
        JsonResponses.empty(res);
    }

    private void deleteByFile(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        JsonResponses.count(res, documents.deleteFile(body.requiredLong("user_id"), body.requiredLong("file_id")));
    }

    private void deleteByGroup(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        JsonResponses.count(res, documents.deleteGroup(body.requiredLong("user_id"),
                body.requiredString("group_key")));
    }

    private void deleteUser(ServerRequest req, ServerResponse res, PathParams params) {
        JsonResponses.count(res, documents.deleteUser(params.getLong("user_id")));
    }

    private void updateGroupKey(ServerRequest req, ServerResponse res, PathParams params) {
        JsonFields body = body(req);
        long userId = body.requiredLong("user_id");
        long fileId = body.requiredLong("file_id");
        String newGroupKey = body.requiredString("new_group_key");
        JsonResponses.count(res, documents.updateGroupKey(userId, fileId, newGroupKey));
    }

    private JsonFields body(ServerRequest req) {
        return JsonBodies.object(req, limits.maxBodyBytes());
    }
}
