/**
 * The search function: the API's reads. {@link io.vectormemory.search.Main#routing} binds
 * {@link io.vectormemory.search.MemoryReads}, {@link io.vectormemory.search.DocumentReads} (with
 * {@link io.vectormemory.search.DocumentStats}) and {@link io.vectormemory.search.CollectionInfoEndpoint} to their
 * routes of the route table.
 */
package io.vectormemory.search;
