package io.vectormemory.embedded.engine;

import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.OptimizersConfigDiff;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Collections.WalConfigDiff;
import io.vectormemory.embedded.model.Distance;
import io.vectormemory.embedded.store.CollectionSpec;

/**
 * Turns a CreateCollection request into a {@link CollectionSpec}: validation like Qdrant and the
 * configuration to report back, which is the request merged over the defaults of Qdrant's
 * config/config.yaml (v1.16.0).
 */
final class CollectionConfigs {

    private static final HnswConfigDiff DEFAULT_HNSW = HnswConfigDiff.newBuilder()
            .setM(16).setEfConstruct(100).setFullScanThreshold(10_000).setMaxIndexingThreads(0).setOnDisk(false)
            .build();

    private static final OptimizersConfigDiff DEFAULT_OPTIMIZERS = OptimizersConfigDiff.newBuilder()
            .setDeletedThreshold(0.2).setVacuumMinVectorNumber(1000).setDefaultSegmentNumber(0)
            .setIndexingThreshold(10_000).setFlushIntervalSec(5)
            .setMaxOptimizationThreads(Collections.MaxOptimizationThreads.newBuilder()
                    .setSetting(Collections.MaxOptimizationThreads.Setting.Auto))
            .build();

    private static final WalConfigDiff DEFAULT_WAL = WalConfigDiff.newBuilder()
            .setWalCapacityMb(32).setWalSegmentsAhead(0).setWalRetainClosed(1)
            .build();

    private CollectionConfigs() {
    }

    static CollectionSpec spec(CreateCollection request) {
        if (request.hasShardNumber()) {
            Validation.atLeastOne("shard_number", request.getShardNumber());
        }
        if (request.hasReplicationFactor()) {
            Validation.atLeastOne("replication_factor", request.getReplicationFactor());
        }
        if (request.hasWriteConsistencyFactor()) {
            Validation.atLeastOne("write_consistency_factor", request.getWriteConsistencyFactor());
        }
        if (request.getSparseVectorsConfig().getMapCount() > 0) {
            throw ApiError.unimplemented("sparse vectors");
        }
        if (request.hasShardingMethod() && request.getShardingMethod() == Collections.ShardingMethod.Custom) {
            throw ApiError.unimplemented("custom sharding");
        }
        if (!request.hasVectorsConfig()
                || request.getVectorsConfig().getConfigCase() == VectorsConfig.ConfigCase.CONFIG_NOT_SET) {
            throw ApiError.unimplemented("collections without a single unnamed dense vector");
        }
        if (request.getVectorsConfig().hasParamsMap()) {
            throw ApiError.unimplemented("named vectors (use a single unnamed vector)");
        }
        VectorParams params = request.getVectorsConfig().getParams();
        long size = params.getSize();
        if (size < 1 || size > 65536) {
            throw ApiError.validation("vectors_config.config.size",
                    "value " + Long.toUnsignedString(size) + " invalid, must be from 1 to 65536");
        }
        Distance distance = distance(params.getDistanceValue());
        if (params.hasMultivectorConfig()) {
            throw ApiError.unimplemented("multivectors");
        }
        if (params.hasDatatype() && params.getDatatype() != Collections.Datatype.Default
                && params.getDatatype() != Collections.Datatype.Float32) {
            throw ApiError.unimplemented("vector datatype " + params.getDatatype());
        }

        CollectionParams.Builder collectionParams = CollectionParams.newBuilder()
                .setShardNumber(request.hasShardNumber() ? request.getShardNumber() : 1)
                .setOnDiskPayload(!request.hasOnDiskPayload() || request.getOnDiskPayload())
                .setVectorsConfig(request.getVectorsConfig())
                .setReplicationFactor(request.hasReplicationFactor() ? request.getReplicationFactor() : 1)
                .setWriteConsistencyFactor(request.hasWriteConsistencyFactor()
                        ? request.getWriteConsistencyFactor() : 1);
        if (request.hasShardingMethod()) {
            collectionParams.setShardingMethod(request.getShardingMethod());
        }
        CollectionConfig.Builder config = CollectionConfig.newBuilder()
                .setParams(collectionParams)
                .setHnswConfig(DEFAULT_HNSW.toBuilder().mergeFrom(request.getHnswConfig()))
                .setOptimizerConfig(DEFAULT_OPTIMIZERS.toBuilder().mergeFrom(request.getOptimizersConfig()))
                .setWalConfig(DEFAULT_WAL.toBuilder().mergeFrom(request.getWalConfig()))
                .setStrictModeConfig(request.hasStrictModeConfig() ? request.getStrictModeConfig()
                        : Collections.StrictModeConfig.newBuilder().setEnabled(false).build())
                .putAllMetadata(request.getMetadataMap());
        if (request.hasQuantizationConfig()) {
            config.setQuantizationConfig(request.getQuantizationConfig());
        }
        return new CollectionSpec((int) size, distance, config.build());
    }

    /** lib/api/src/grpc/conversions.rs {@code from_grpc_dist}. */
    private static Distance distance(int value) {
        Collections.Distance d = Collections.Distance.forNumber(value);
        if (d == null) {
            throw ApiError.invalidArgument("Malformed distance parameter, unexpected value: " + value);
        }
        return switch (d) {
            case Cosine -> Distance.COSINE;
            case Euclid -> Distance.EUCLID;
            case Dot -> Distance.DOT;
            case Manhattan -> Distance.MANHATTAN;
            default -> throw ApiError.invalidArgument("Malformed distance parameter: UnknownDistance");
        };
    }
}
