package io.archiver.api.rest;

import java.util.List;

import io.archiver.operations.OperationRefused;

/** One page of a list: its items, where it starts, its size, and the total when known. */
public record Page<T>(List<T> items, int offset, int limit, long total) {

    public static final int MAX_LIMIT = 200;

    /** The page of {@code all} at {@code offset}, {@code limit} items at most. */
    public static <T> Page<T> of(List<T> all, int offset, int limit) {
        check(offset, limit);
        int from = Math.min(offset, all.size());
        return new Page<>(List.copyOf(all.subList(from, Math.min(all.size(), from + limit))), offset, limit, all.size());
    }

    public static void check(int offset, int limit) {
        if (offset < 0) {
            throw new OperationRefused("offset", "must be 0 or more, not " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new OperationRefused("limit", "must be 1 to " + MAX_LIMIT + ", not " + limit);
        }
    }
}
