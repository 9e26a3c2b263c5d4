package io.vectormemory.embedded.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault mode for tests: makes this single process answer as a Qdrant cluster does while it passes through states
 * one node never reaches (no Raft leader, replicas activating, a shard not there yet), with the gRPC codes and
 * messages of Qdrant v1.16.3, and records the requests it receives. Given to
 * {@code EmbeddedQdrant.start(options, faults)}; rules apply to the calls that arrive after they are set.
 *
 * <pre>{@code
 * faults.answer(PointsGrpc.getUpsertMethod(), ClusterFaults.Answer.noActiveReplica(0), 1);   // next upsert fails
 * faults.delay(CollectionsGrpc.getCreateMethod(), Duration.ofSeconds(2), 1);                  // applied, answered late
 * faults.requests(PointsGrpc.getUpsertMethod());                                              // what was sent
 * }</pre>
 */
public final class ClusterFaults implements ServerInterceptor {
    /** For {@code times}: every matching call from now on. */
    public static final int ALWAYS = Integer.MAX_VALUE;

    /** A peer id as Qdrant generates them (a random u64): what the messages below name. */
    private static final long PEER = 5_827_086_306_041_174L;

    /** One of Qdrant's error answers. */
    public record Answer(Status.Code code, String message) {
        Status status() {
            return code.toStatus().withDescription(message);
        }

        /**
         * No Raft leader (an election, a partitioned node): lib/storage/src/content_manager/consensus_manager.rs
         * {@code propose_consensus_op_with_await}, a {@code StorageError::ServiceError}
         * (lib/storage/src/content_manager/errors.rs, INTERNAL by conversions.rs). Nothing was proposed.
         */
        public static Answer noLeader() {
            return new Answer(Status.Code.INTERNAL,
                    "Service internal error: Failed to propose operation: leader is not established within 10s");
        }

        /**
         * A schema change proposed but not yet committed within Qdrant's wait: consensus_manager.rs
         * {@code await_receiver}. The change may still be applied.
         */
        public static Answer consensusCommitTimeout() {
            return new Answer(Status.Code.INTERNAL,
                    "Service internal error: Waiting for consensus operation commit failed. Timeout set at: 10 seconds");
        }

        /** Every replica of a shard dead or still activating: lib/collection/src/shards/replica_set/update.rs. */
        public static Answer noActiveReplica(int shard) {
            return new Answer(Status.Code.INTERNAL, "Service internal error: The replica set for shard " + shard
                    + " on peer " + PEER + " has no active replica");
        }

        /** A read finding too few active replicas: lib/collection/src/shards/replica_set/execute_read_operation.rs. */
        public static Answer notEnoughActiveReplicas(int shard) {
            return new Answer(Status.Code.INTERNAL, "Service internal error: The replica set for shard " + shard
                    + " on peer " + PEER + " does not have enough active replicas");
        }

        /**
         * A medium/strong ordered write with no replica to lead it (replica_set/update.rs
         * {@code update_with_consistency}).
         */
        public static Answer noOrderingLeader(String collection, int shard) {
            return new Answer(Status.Code.INTERNAL, "Service internal error: Cannot update shard " + collection + ":"
                    + shard + " with Medium ordering because no leader could be selected");
        }

        /**
         * A shard this node does not hold (yet): lib/collection/src/shards/shard_holder/mod.rs
         * {@code shard_not_found_error}, "{what} not found" (lib/collection/src/operations/types.rs) as
         * {@code StorageError::NotFound} (errors.rs).
         */
        public static Answer shardNotFound(int shard) {
            return new Answer(Status.Code.NOT_FOUND, "Not found: shard " + shard + " not found");
        }

        /** The local replica of a shard gone (moved away): lib/collection/src/shards/replica_set/mod.rs. */
        public static Answer localShardNotFound(String collection, int shard) {
            return new Answer(Status.Code.NOT_FOUND,
                    "Not found: local shard " + collection + ":" + shard + " not found");
        }

        /**
         * A peer asked to apply a write for a shard it does not hold yet: lib/collection/src/collection/point_ops.rs
         * {@code update_from_peer}, "Precondition failed: ..." (types.rs) as {@code StorageError::PreconditionFailed}
         * (errors.rs, FAILED_PRECONDITION by conversions.rs).
         */
        public static Answer noTargetShard(int shard) {
            return new Answer(Status.Code.FAILED_PRECONDITION,
                    "Pre-condition failure: Precondition failed: No target shard " + shard + " found for update");
        }

        /**
         * A shard recovering from a partial snapshot: lib/collection/src/shards/replica_set/partial_snapshot_meta.rs,
         * {@code StorageError::ShardUnavailable} (errors.rs, UNAVAILABLE by conversions.rs).
         */
        public static Answer shardUnavailable() {
            return new Answer(Status.Code.UNAVAILABLE,
                    "Shard temporarily unavailable: partial snapshot recovery is in progress");
        }
    }

    private enum Kind {
        /** Answer at once; the call is not applied. */
        BEFORE,
        /** Apply the call, then answer with the error instead of its result. */
        AFTER,
        /** Apply the call, answer with its result after a delay. */
        DELAY
    }

    private record Rule(String method, Kind kind, Answer answer, Duration delay, AtomicInteger remaining) {
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, List<Object>> requests = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    public ClusterFaults() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "cluster-faults");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
    }

    /** The next {@code times} calls of the method are answered with {@code answer} and not applied. */
    public ClusterFaults answer(MethodDescriptor<?, ?> method, Answer answer, int times) {
        return add(method, Kind.BEFORE, answer, null, times);
    }

    /**
     * The next {@code times} calls of the method are applied, then answered with {@code answer}: a cluster that
     * completes an operation after the coordinating node gave up waiting for it.
     */
    public ClusterFaults answerAfterApplying(MethodDescriptor<?, ?> method, Answer answer, int times) {
        return add(method, Kind.AFTER, answer, null, times);
    }

    /**
     * The next {@code times} calls of the method are applied at once and answered after {@code delay}: Qdrant
     * waiting for a new collection's replicas to activate (up to 10 s) before it answers.
     */
    public ClusterFaults delay(MethodDescriptor<?, ?> method, Duration delay, int times) {
        return add(method, Kind.DELAY, null, delay, times);
    }

    /** Drops every rule and every recorded request. */
    public void clear() {
        rules.clear();
        requests.clear();
    }

    /** The requests of a method received so far, oldest first (faulted ones included). */
    @SuppressWarnings("unchecked")
    public <Q> List<Q> requests(MethodDescriptor<Q, ?> method) {
        List<Object> seen = requests.getOrDefault(method.getFullMethodName(), List.of());
        synchronized (seen) {
            return (List<Q>) List.copyOf(seen);
        }
    }

    private ClusterFaults add(MethodDescriptor<?, ?> method, Kind kind, Answer answer, Duration delay, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        rules.add(new Rule(method.getFullMethodName(), kind, answer, delay, new AtomicInteger(times)));
        return this;
    }

    /** The first rule for the method with uses left, using one. */
    private Rule take(String method) {
        for (Rule rule : rules) {
            if (rule.method().equals(method)) {
                int left;
                do {
                    left = rule.remaining().get();
                } while (left > 0 && !rule.remaining().compareAndSet(left, left == ALWAYS ? ALWAYS : left - 1));
                if (left > 0) {
                    return rule;
                }
            }
        }
        return null;
    }

    private void record(String method, Object message) {
        List<Object> seen = requests.computeIfAbsent(method, m -> new ArrayList<>());
        synchronized (seen) {
            seen.add(message);
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Rule rule = take(method);
        if (rule != null && rule.kind() == Kind.BEFORE) {
            call.request(1);
            return new ServerCall.Listener<>() {
                @Override
                public void onMessage(Q message) {
                    record(method, message);
                }

                @Override
                public void onHalfClose() {
                    call.close(rule.answer().status(), new Metadata());
                }
            };
        }
        ServerCall<Q, R> answering = rule == null ? call
                : rule.kind() == Kind.AFTER ? new FailAfterApplying<>(call, rule.answer()) : new Delayed<>(call, rule.delay());
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
                next.startCall(answering, headers)) {
            @Override
            public void onMessage(Q message) {
                record(method, message);
                super.onMessage(message);
            }
        };
    }

    /** Drops the result and closes with the fault's status instead of OK. */
    private static final class FailAfterApplying<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final Answer answer;

        FailAfterApplying(ServerCall<Q, R> call, Answer answer) {
            super(call);
            this.answer = answer;
        }

        @Override
        public void sendMessage(R message) {
            // the operation happened; its result never reaches the client
        }

        @Override
        public void close(Status status, Metadata trailers) {
            super.close(status.isOk() ? answer.status() : status, status.isOk() ? new Metadata() : trailers);
        }
    }

    /** Holds the result and the close back, then sends both (unless the client gave up meanwhile). */
    private final class Delayed<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final Duration delay;
        private R result;

        Delayed(ServerCall<Q, R> call, Duration delay) {
            super(call);
            this.delay = delay;
        }

        @Override
        public void sendMessage(R message) {
            result = message;
        }

        @Override
        public void close(Status status, Metadata trailers) {
            R held = result;
            timer.schedule(() -> {
                try {
                    if (held != null && !isCancelled()) {
                        super.sendMessage(held);
                    }
                    super.close(status, trailers);
                } catch (RuntimeException cancelled) {
                    // the client's deadline ended first: nothing to answer
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
