package io.vectormemory.qdrant.calls;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What Qdrant's error messages mean, where the gRPC code alone does not tell. Matched on the messages of the
 * Qdrant version production runs (v1.16.3); the backend contract checks the one for a missing collection against
 * any Qdrant ({@code bin/qdrant-conformance}).
 */
final class QdrantAnswers {
    /**
     * The only NOT_FOUND that means "no such collection": {@code validate_collection_exists}
     * (lib/storage/src/content_manager/collections_ops.rs) behind the {@code "Not found: "} of
     * {@code StorageError::NotFound} (lib/storage/src/content_manager/errors.rs). A cluster also answers NOT_FOUND
     * for shards ({@code "Not found: shard 3 not found"}, lib/collection/src/shards/shard_holder/mod.rs), local
     * shards (lib/collection/src/shards/replica_set/mod.rs) and for whatever a remote peer answered NOT_FOUND
     * (lib/collection/src/operations/types.rs, {@code From<tonic::Status>}).
     */
    private static final Pattern COLLECTION_MISSING = Pattern.compile("Not found: Collection `[^`]*` doesn't exist!");

    /**
     * INTERNAL answers ({@code StorageError::ServiceError}) of a cluster in a passing state, which Qdrant itself
     * counts as transient ({@code CollectionError::is_transient}, lib/collection/src/operations/types.rs).
     */
    private static final List<String> TRANSIENT_INTERNAL = List.of(
            // lib/storage/src/content_manager/consensus_manager.rs: propose_consensus_op_with_await, await_receiver
            "Failed to propose operation: leader is not established",
            "Waiting for consensus operation commit failed",
            "Error occurred while waiting for consensus operation",
            // lib/collection/src/shards/replica_set/update.rs: a shard's replicas during activation, transfer or
            // failure, and the leader that medium/strong ordering forwards writes to
            "has no active replica",
            "because no leader could be selected",
            "ordering via leader peer",
            "Consistency of this update is not guaranteed. Please retry.",
            "all attempts were rejected",
            "because was removed from the replica set",
            // lib/collection/src/shards/replica_set/execute_read_operation.rs
            "does not have enough active replicas",
            "read operations failed",
            // lib/collection/src/operations/types.rs: a peer out of reach, a node out of memory
            "Tonic transport error",
            "Tonic status error",
            "Out of memory, free:",
            // lib/storage/src/content_manager/errors.rs: an operation cancelled on the way
            "Operation cancelled");

    /** lib/collection/src/shards/replica_set/execute_read_operation.rs: the local replica went away meanwhile. */
    private static final Pattern LOCAL_SHARD_GONE = Pattern.compile("Local shard \\d+ not found");

    private QdrantAnswers() {
    }

    /** Whether a NOT_FOUND answer says the collection does not exist (and nothing else). */
    static boolean collectionMissing(String message) {
        return message != null && COLLECTION_MISSING.matcher(message).matches();
    }

    /** Whether an INTERNAL answer is one of a cluster's passing states. */
    static boolean transientInternal(String message) {
        if (message == null) {
            return false;
        }
        for (String phrase : TRANSIENT_INTERNAL) {
            if (message.contains(phrase)) {
                return true;
            }
        }
        return LOCAL_SHARD_GONE.matcher(message).find();
    }
}
