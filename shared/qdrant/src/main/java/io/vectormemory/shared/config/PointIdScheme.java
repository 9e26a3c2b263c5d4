package io.vectormemory.shared.config;

/** How a platform string id becomes a Qdrant point id (DESIGN §4). */
public enum PointIdScheme { SIPHASH, UUID5 }
