package io.vectormemory.embedded.store;

/**
 * Search parameters of a request ({@code qdrant.SearchParams}).
 *
 * @param exact  true forces an exact (brute-force) search
 * @param hnswEf size of the candidate list of an approximate search; 0 for the collection's default
 */
public record SearchParams(boolean exact, int hnswEf) {

    public static final SearchParams DEFAULT = new SearchParams(false, 0);
}
