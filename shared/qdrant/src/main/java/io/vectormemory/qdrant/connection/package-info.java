/**
 * The one gRPC channel of a process to Qdrant, owned here: its network thread, calls started on that thread in one
 * hand-off, the API key added on the calling thread, a private CA trusted for TLS, and reconnects on demand.
 */
package io.vectormemory.qdrant.connection;
