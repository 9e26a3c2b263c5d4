package io.vectormemory.tests.contract;

import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.JsonText;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.vectormemory.tests.support.Data.str;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The document write routes of the upsert function. */
public interface DocumentWriteContract extends ContractTarget {
    int DIM = Deployment.DIMENSION;

    private void stored(String id, long user, long file, String group, int chunk) {
        Expect.emptyOk(calls().upsertDocument(Data.document(id, Vectors.random(DIM, id.hashCode()),
                Data.documentPayload(user, file, group, chunk))));
    }

    @Test
    default void upsertAnswersAnEmpty200AndKeepsExtraFields() {
        long user = Data.user();
        String id = Data.documentId(user, 77, 0);
        String typed = Data.documentPayload(user, 77, "DEFAULT", 0);
        String payload = typed.substring(0, typed.length() - 1)
                + ",\"file_name\":\"report.pdf\",\"mime_type\":\"application/pdf\",\"_point_id\":\"forged\"}";
        Expect.emptyOk(calls().upsertDocument(Data.document(id, Vectors.random(DIM, 1), payload)));
        Response get = calls().getDocument(id);
        Expect.status(get, 200);
        JsonText.assertJson(typed.substring(0, typed.length() - 1)
                + ",\"file_name\":\"report.pdf\",\"mime_type\":\"application/pdf\"}", get.object().get("payload"),
                get::toString);
        assertEquals(id, get.object().getString("id"), get::toString);
    }

    @Test
    default void documentRoutesUseTheConfiguredDimension() {
        long user = Data.user();
        String id = Data.documentId(user, 1, 0);
        String payload = Data.documentPayload(user, 1, "DEFAULT", 0);
        Expect.error(calls().upsertDocument(Data.document(id, Vectors.random(1024, 2), payload)), 400,
                "Vector must have exactly " + DIM + " dimensions, got 1024");
        Expect.error(calls().upsertDocument(Data.document(id, Vectors.of(1, 2, 3), payload)), 400,
                "Vector must have exactly " + DIM + " dimensions, got 3");
        Expect.error(calls().getDocument(id), 404, "Document not found");
    }

    @Test
    default void documentSchemaErrorsAre422NamingTheField() {
        long user = Data.user();
        String id = Data.documentId(user, 2, 0);
        String payload = Data.documentPayload(user, 2, "DEFAULT", 0);
        String[][] cases = {
                {"payload.file_type", payload.replace("\"file_type\":1", "\"file_type\":2147483648")},
                {"payload.chunk_index", payload.replace("\"chunk_index\":0", "\"chunk_index\":0.0")},
                {"payload.group_key", payload.replace("\"group_key\":\"DEFAULT\"", "\"group_key\":5")},
                {"payload.text", payload.replace("\"text\":", "\"txt\":")},
                {"payload.start_line", payload.replace("\"start_line\":1", "\"start_line\":\"1\"")},
                {"payload.end_line", payload.replace("\"end_line\":9", "\"end_line\":null")},
                {"payload.created", payload.replace("\"created\":", "\"made\":")},
                {"payload.file_id", payload.replace("\"file_id\":2", "\"file_id\":-2.5")},
                {"payload.user_id", payload.replace("\"user_id\":" + user, "\"user_id\":true")},
        };
        for (String[] c : cases) {
            Expect.errorContains(calls().upsertDocument(Data.document(id, Vectors.random(DIM, 3), c[1])), 422, c[0]);
        }
        Expect.errorContains(calls().upsertDocument("{\"point_id\":\"x\",\"payload\":" + payload + "}"), 422,
                "vector");
        Expect.error(calls().getDocument(id), 404);
    }

    @Test
    default void batchCountsSuccessesAndAlwaysListsErrors() {
        long user = Data.user();
        List<String> docs = new ArrayList<>();
        for (int chunk = 0; chunk < 3; chunk++) {
            docs.add(Data.document(Data.documentId(user, 5, chunk), Vectors.random(DIM, 40 + chunk),
                    Data.documentPayload(user, 5, "DEFAULT", chunk)));
        }
        Expect.json(calls().documentBatch("{\"documents\":" + Data.array(docs) + "}"),
                "{\"success_count\":3,\"failed_count\":0,\"errors\":[]}");
        Expect.json(calls().stats(Long.toString(user)), """
                {"total_chunks":3,"total_files":1,"total_groups":1,"chunks_by_group":{"DEFAULT":3},\
                "chunks_by_file":{"5":{"chunks":3,"group_key":"DEFAULT"}}}""");

        String bad = Data.documentId(user, 6, 1);
        Response mixed = calls().documentBatch("{\"documents\":[" + Data.document(Data.documentId(user, 6, 0),
                Vectors.random(DIM, 50), Data.documentPayload(user, 6, "G", 0)) + "," + Data.document(bad,
                Vectors.of(0.5), Data.documentPayload(user, 6, "G", 1)) + "]}");
        Expect.json(mixed, "{\"success_count\":1,\"failed_count\":1,\"errors\":[" + str("Document " + bad
                + ": invalid vector dimension") + "]}");
        Expect.error(calls().getDocument(bad), 404);

        Expect.json(calls().documentBatch("{\"documents\":[]}"), "{\"success_count\":0,\"failed_count\":0,\"errors\":[]}");
    }

    @Test
    default void batchOverTheCapIsRefusedWhole() {
        long user = Data.user();
        List<String> docs = new ArrayList<>();
        for (int chunk = 0; chunk <= 1000; chunk++) {
            docs.add(Data.document(Data.documentId(user, 9, chunk), Vectors.random(DIM, chunk),
                    Data.documentPayload(user, 9, "DEFAULT", chunk)));
        }
        Expect.error(calls().documentBatch("{\"documents\":" + Data.array(docs) + "}"), 400,
                "Maximum 1000 documents per batch");
        Expect.json(calls().stats(Long.toString(user)), """
                {"total_chunks":0,"total_files":0,"total_groups":0,"chunks_by_group":{},"chunks_by_file":{}}""");
        Expect.json(calls().documentBatch("{\"documents\":" + Data.array(docs.subList(0, 1000)) + "}"),
                "{\"success_count\":1000,\"failed_count\":0,\"errors\":[]}");
        Expect.json(calls().stats(Long.toString(user)), """
                {"total_chunks":1000,"total_files":1,"total_groups":1,"chunks_by_group":{"DEFAULT":1000},\
                "chunks_by_file":{"9":{"chunks":1000,"group_key":"DEFAULT"}}}""");
    }

    @Test
    default void batchShapeErrorsAre422() {
        Expect.errorContains(calls().documentBatch("{}"), 422, "documents");
        Expect.errorContains(calls().documentBatch("{\"documents\":\"x\"}"), 422, "documents");
        long user = Data.user();
        String first = Data.documentId(user, 3, 0);
        Response r = calls().documentBatch("{\"documents\":[" + Data.document(first, Vectors.random(DIM, 4),
                Data.documentPayload(user, 3, "DEFAULT", 0)) + ",{\"point_id\":\"y\"}]}");
        Expect.errorContains(r, 422, "documents[1].vector");
        Expect.error(calls().getDocument(first), 404);
    }

    @Test
    default void deleteAnswersAnEmpty200() {
        long user = Data.user();
        String id = Data.documentId(user, 11, 0);
        stored(id, user, 11, "DEFAULT", 0);
        Expect.status(calls().getDocument(id), 200);
        Expect.emptyOk(calls().deleteDocument(id));
        Expect.error(calls().getDocument(id), 404, "Document not found");
        Expect.emptyOk(calls().deleteDocument(id));
        Expect.emptyOk(calls().deleteDocument("doc_never_was"));
    }

    @Test
    default void deleteByFileReturnsTheRealCount() {
        long user = Data.user();
        long other = Data.user();
        for (int c = 0; c < 3; c++) {
            stored(Data.documentId(user, 21, c), user, 21, "DEFAULT", c);
        }
        stored(Data.documentId(user, 22, 0), user, 22, "DEFAULT", 0);
        stored(Data.documentId(other, 21, 0), other, 21, "DEFAULT", 0);
        Expect.count(calls().deleteByFile(user, 21), 3);
        Expect.count(calls().deleteByFile(user, 21), 0);
        Expect.error(calls().getDocument(Data.documentId(user, 21, 0)), 404);
        Expect.status(calls().getDocument(Data.documentId(user, 22, 0)), 200);
        Expect.status(calls().getDocument(Data.documentId(other, 21, 0)), 200);
        var http = calls().http(Route.DOCUMENT_DELETE_BY_FILE);
        Expect.errorContains(http.post("/documents/delete-by-file", "{\"user_id\":" + user + "}"), 422, "file_id");
        Expect.errorContains(http.post("/documents/delete-by-file", "{\"user_id\":" + user + ",\"file_id\":\"21\"}"),
                422, "file_id");
    }

    @Test
    default void deleteByGroupReturnsTheRealCount() {
        long user = Data.user();
        stored(Data.documentId(user, 31, 0), user, 31, "WIDGET:a", 0);
        stored(Data.documentId(user, 32, 0), user, 32, "WIDGET:a", 0);
        stored(Data.documentId(user, 33, 0), user, 33, "DEFAULT", 0);
        Expect.count(calls().deleteByGroup(user, "widget:a"), 0); // exact, case-sensitive
        Expect.count(calls().deleteByGroup(user, "WIDGET:a"), 2);
        Expect.count(calls().deleteByGroup(user, "WIDGET:a"), 0);
        Expect.status(calls().getDocument(Data.documentId(user, 33, 0)), 200);
        var http = calls().http(Route.DOCUMENT_DELETE_BY_GROUP);
        Expect.errorContains(http.post("/documents/delete-by-group", "{\"user_id\":" + user + "}"), 422, "group_key");
    }

    @Test
    default void deleteAllDocumentsOfAUserReturnsTheRealCount() {
        long user = Data.user();
        long other = Data.user();
        stored(Data.documentId(user, 41, 0), user, 41, "A", 0);
        stored(Data.documentId(user, 42, 0), user, 42, "B", 0);
        stored(Data.documentId(other, 41, 0), other, 41, "A", 0);
        Expect.count(calls().deleteUserDocuments(Long.toString(user)), 2);
        Expect.count(calls().deleteUserDocuments(Long.toString(user)), 0);
        Expect.status(calls().getDocument(Data.documentId(other, 41, 0)), 200);
        Expect.error(calls().deleteUserDocuments("abc"), 400, "Invalid URL: Cannot parse `\"abc\"` to a `i64`");
        Expect.error(calls().deleteUserDocuments("4.0"), 400, "Invalid URL: Cannot parse `\"4.0\"` to a `i64`");
    }

    @Test
    default void updateGroupKeyMovesAFilesChunksAndCountsThem() {
        long user = Data.user();
        stored(Data.documentId(user, 51, 0), user, 51, "DEFAULT", 0);
        stored(Data.documentId(user, 51, 1), user, 51, "DEFAULT", 1);
        stored(Data.documentId(user, 52, 0), user, 52, "DEFAULT", 0);
        Expect.count(calls().updateGroupKey(user, 51, "WIDGET:abc"), 2);
        Expect.count(calls().updateGroupKey(user, 99, "WIDGET:abc"), 0);
        Response get = calls().getDocument(Data.documentId(user, 51, 1));
        Expect.status(get, 200);
        assertEquals("WIDGET:abc", get.object().getJsonObject("payload").getString("group_key"), get::toString);
        Expect.json(calls().filesByGroup(user, "WIDGET:abc"), "{\"files\":{\"51\":2}}");
        Expect.json(calls().filesByGroup(user, "DEFAULT"), "{\"files\":{\"52\":1}}");
        // An empty group key is a value like any other.
        Expect.count(calls().updateGroupKey(user, 52, ""), 1);
        Expect.json(calls().filesByGroup(user, ""), "{\"files\":{\"52\":1}}");
        var http = calls().http(Route.DOCUMENT_UPDATE_GROUP_KEY);
        Expect.errorContains(http.post("/documents/update-group-key", "{\"user_id\":" + user + ",\"file_id\":51}"),
                422, "new_group_key");
    }
}
