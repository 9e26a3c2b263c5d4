package io.vectormemory.tests.support;

import io.vectormemory.http.Route;

/** The API's routes as calls, each sent with the key to whichever server of the deployment serves it. */
public final class Calls {
    private final Deployment deployment;

    public Calls(Deployment deployment) {
        this.deployment = deployment;
    }

    public Http http(Route r) {
        return Http.to(deployment.url(r)).apiKey(Deployment.KEY);
    }

    private Response post(Route r, String json) {
        return http(r).post(r.template(), json);
    }

    // ---- memories ----

    public Response upsertMemory(String json) {
        return post(Route.MEMORY_UPSERT, json);
    }

    public Response memoryBatch(String json) {
        return post(Route.MEMORY_BATCH, json);
    }

    public Response searchMemories(String json) {
        return post(Route.MEMORY_SEARCH, json);
    }

    public Response scrollMemories(String json) {
        return post(Route.MEMORY_SCROLL, json);
    }

    public Response getMemory(String id) {
        return getMemory(id, null);
    }

    public Response getMemory(String id, String namespace) {
        return http(Route.MEMORY_GET).get("/memories/" + Paths.encode(id) + Paths.namespace(namespace));
    }

    public Response deleteMemory(String id) {
        return deleteMemory(id, null);
    }

    public Response deleteMemory(String id, String namespace) {
        return http(Route.MEMORY_DELETE).delete("/memories/" + Paths.encode(id) + Paths.namespace(namespace));
    }

    public Response deleteUserMemories(String userId, String namespace) {
        return http(Route.MEMORY_DELETE_USER).delete("/memories/user/" + userId + Paths.namespace(namespace));
    }

    public Response collectionInfo(String namespace) {
        return http(Route.COLLECTION_INFO).get("/collection/info" + Paths.namespace(namespace));
    }

    // ---- documents ----

    public Response upsertDocument(String json) {
        return post(Route.DOCUMENT_UPSERT, json);
    }

    public Response documentBatch(String json) {
        return post(Route.DOCUMENT_BATCH, json);
    }

    public Response searchDocuments(String json) {
        return post(Route.DOCUMENT_SEARCH, json);
    }

    public Response getDocument(String id) {
        return http(Route.DOCUMENT_GET).get("/documents/" + Paths.encode(id));
    }

    public Response deleteDocument(String id) {
        return http(Route.DOCUMENT_DELETE).delete("/documents/" + Paths.encode(id));
    }

    public Response deleteByFile(long user, long file) {
        return post(Route.DOCUMENT_DELETE_BY_FILE, "{\"user_id\":" + user + ",\"file_id\":" + file + "}");
    }

    public Response deleteByGroup(long user, String group) {
        return post(Route.DOCUMENT_DELETE_BY_GROUP, "{\"user_id\":" + user + ",\"group_key\":" + Data.str(group) + "}");
    }

    public Response deleteUserDocuments(String userId) {
        return http(Route.DOCUMENT_DELETE_USER).delete("/documents/user/" + userId);
    }

    public Response updateGroupKey(long user, long file, String newGroup) {
        return post(Route.DOCUMENT_UPDATE_GROUP_KEY, "{\"user_id\":" + user + ",\"file_id\":" + file
                + ",\"new_group_key\":" + Data.str(newGroup) + "}");
    }

    public Response stats(String userId) {
        return http(Route.DOCUMENT_STATS).get("/documents/stats/" + userId);
    }

    public Response groups(String userId) {
        return http(Route.DOCUMENT_GROUPS).get("/documents/groups/" + userId);
    }

    public Response filesByGroup(long user, String group) {
        return post(Route.DOCUMENT_FILES_BY_GROUP, "{\"user_id\":" + user + ",\"group_key\":" + Data.str(group) + "}");
    }

    // ---- info ----

    public Response health() {
        return Http.to(deployment.url(Route.HEALTH)).get("/health");
    }

    public Response capabilities() {
        return Http.to(deployment.url(Route.CAPABILITIES)).get("/capabilities");
    }

    public Response serviceInfo() {
        return http(Route.SERVICE_INFO).get("/service/info");
    }

    public Response openApi() {
        return Http.to(deployment.url(Route.OPENAPI)).get("/api-docs/openapi.json");
    }
}
