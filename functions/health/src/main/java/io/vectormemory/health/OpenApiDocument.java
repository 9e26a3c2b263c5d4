package io.vectormemory.health;

import io.vectormemory.http.Route;
import io.vectormemory.http.json.CompactJson;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.vectormemory.http.json.JsonFactory.JSON;

/** An OpenAPI 3.1 document generated from the route table, so it lists every route and cannot drift. */
public final class OpenApiDocument {
    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

    private OpenApiDocument() {
    }

    public static byte[] render() {
        Map<String, JsonObjectBuilder> paths = new LinkedHashMap<>();
        for (Route r : Route.values()) {
            JsonObjectBuilder op = JSON.createObjectBuilder()
                    .add("operationId", camel(r.name()))
                    .add("summary", r.summary())
                    .add("x-function", r.function().id());
            JsonArrayBuilder parameters = JSON.createArrayBuilder();
            Matcher m = PARAM.matcher(r.template());
            while (m.find()) {
                String name = m.group(1);
                parameters.add(JSON.createObjectBuilder()
                        .add("name", name)
                        .add("in", "path")
                        .add("required", true)
                        .add("schema", JSON.createObjectBuilder()
                                .add("type", name.equals("user_id") ? "integer" : "string")));
            }
            if (r.template().startsWith("/memories/{") || r.template().startsWith("/memories/user/")
                    || r == Route.COLLECTION_INFO) {
                parameters.add(JSON.createObjectBuilder()
                        .add("name", "namespace")
                        .add("in", "query")
                        .add("required", false)
                        .add("schema", JSON.createObjectBuilder().add("type", "string")));
            }
            op.add("parameters", parameters);
            if (r.method().text().equals("POST")) {
                op.add("requestBody", JSON.createObjectBuilder()
                        .add("required", true)
                        .add("content", JSON.createObjectBuilder().add("application/json",
                                JSON.createObjectBuilder().add("schema",
                                        JSON.createObjectBuilder().add("type", "object")))));
            }
            JsonObjectBuilder responses = JSON.createObjectBuilder()
                    .add("200", JSON.createObjectBuilder().add("description", "Success"));
            if (r.access() == Route.Access.KEY) {
                op.add("security", JSON.createArrayBuilder()
                        .add(JSON.createObjectBuilder().add("apiKey", JSON.createArrayBuilder()))
                        .add(JSON.createObjectBuilder().add("bearer", JSON.createArrayBuilder())));
                responses.add("401", error("Missing or invalid API key"));
            } else {
                op.add("security", JSON.createArrayBuilder());
            }
            responses.add("4XX", error("Invalid request"));
            responses.add("503", error("Qdrant unavailable; retry after the Retry-After seconds"));
            op.add("responses", responses);
            paths.computeIfAbsent(r.template(), t -> JSON.createObjectBuilder())
                    .add(r.method().text().toLowerCase(Locale.ROOT), op);
        }
        JsonObjectBuilder pathsJson = JSON.createObjectBuilder();
        paths.forEach(pathsJson::add);
        return CompactJson.bytes(JSON.createObjectBuilder()
                .add("openapi", "3.1.0")
                .add("info", JSON.createObjectBuilder()
                        .add("title", "Vector-memory API")
                        .add("version", ServiceVersion.VERSION)
                        .add("description", "Memories and document chunks with pre-computed embeddings, searched "
                                + "per user, in front of Qdrant. Errors are JSON {\"error\", \"status\"}."))
                .add("paths", pathsJson)
                .add("components", JSON.createObjectBuilder()
                        .add("securitySchemes", JSON.createObjectBuilder()
                                .add("apiKey", JSON.createObjectBuilder()
                                        .add("type", "apiKey").add("in", "header").add("name", "X-API-Key"))
                                .add("bearer", JSON.createObjectBuilder()
                                        .add("type", "http").add("scheme", "bearer")))
                        .add("schemas", JSON.createObjectBuilder()
                                .add("Error", JSON.createObjectBuilder()
                                        .add("type", "object")
                                        .add("required", JSON.createArrayBuilder().add("error").add("status"))
                                        .add("properties", JSON.createObjectBuilder()
                                                .add("error", JSON.createObjectBuilder().add("type", "string"))
                                                .add("status", JSON.createObjectBuilder().add("type", "integer"))))))
                .build());
    }

    private static JsonObjectBuilder error(String description) {
        return JSON.createObjectBuilder()
                .add("description", description)
                .add("content", JSON.createObjectBuilder().add("application/json", JSON.createObjectBuilder()
                        .add("schema", JSON.createObjectBuilder().add("$ref", "#/components/schemas/Error"))));
    }

    private static String camel(String constant) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : constant.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }
}
