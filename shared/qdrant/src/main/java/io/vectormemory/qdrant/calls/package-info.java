/**
 * Awaiting Qdrant calls: one deadline per request over all its calls, the request's Qdrant time, and gRPC failures
 * turned into this module's exceptions (unavailable, cluster busy, collection missing, call failed), which carry no
 * detail.
 */
package io.vectormemory.qdrant.calls;
