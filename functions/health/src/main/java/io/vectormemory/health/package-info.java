/**
 * The health function: {@code /health}, {@code /capabilities}, {@code /service/info} and the OpenAPI document
 * rendered from the route table ({@link io.vectormemory.health.OpenApiDocument}), bound by
 * {@link io.vectormemory.health.Main#routing}.
 */
package io.vectormemory.health;
