package io.vectormemory.qdrant.settings;

/**
 * How a platform string id becomes a Qdrant point id: {@code SIPHASH} is the Rust service's mapping (its data
 * is found again), {@code UUID5} the one the platform's direct Qdrant client uses.
 */
public enum PointIdScheme { SIPHASH, UUID5 }
