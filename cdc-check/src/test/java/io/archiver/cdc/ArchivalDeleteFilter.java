package io.archiver.cdc;

import java.util.HashSet;
import java.util.Set;

/**
 * The consumer-side rule of docs/cdc.md, as a CDC consumer applies it to the change events of one binlog, in order: a
 * transaction that inserts a row into {@code archiver_cdc_marker} is the deleter's, so its deletes are archival; any
 * other delete is a business delete. The deleter writes the marker before the deletes of its transaction, so a streaming
 * consumer knows the transaction is archival by the time it sees the first delete.
 */
final class ArchivalDeleteFilter {

    static final String MARKER_TABLE = "archiver_cdc_marker";

    /** One row change as a CDC reader reports it: its transaction, table and operation ({@code c}, {@code u}, {@code d}). */
    record Change(String transactionId, String table, String op, long id) {
    }

    private final Set<String> archivalTransactions = new HashSet<>();

    /** True when the change is an archival delete: drop it. */
    boolean archival(Change change) {
        if (MARKER_TABLE.equals(change.table()) && "c".equals(change.op())) {
            archivalTransactions.add(change.transactionId());
            return false;
        }
        return "d".equals(change.op()) && archivalTransactions.contains(change.transactionId());
    }
}
