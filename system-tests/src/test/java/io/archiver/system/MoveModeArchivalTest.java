package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveMode;

/** The archival contract in MOVE mode: archived rows leave `run` for `run_archive`, identical. */
class MoveModeArchivalTest extends ArchivalRunContract {

    @Override
    ArchiveMode mode() {
        return ArchiveMode.MOVE;
    }

    @Test
    @Order(20)
    void movedRowsAreInRunArchiveIdentical() throws SQLException {
        Set<Long> eligible = eligibleBefore();
        TableSnapshot moved;
        try (Connection connection = system.jdbc()) {
            moved = TableSnapshot.of(connection, "run_archive");
        }
        assertThat(moved.columns()).isEqualTo(before.columns());
        assertThat(moved.digests().keySet()).isEqualTo(eligible);
        for (Long id : eligible) {
            assertThat(moved.digests().get(id)).as("row %d in run_archive", id).isEqualTo(before.digests().get(id));
        }
        assertThat(completed.stats().rowsRemoved()).isEqualTo(eligible.size());
    }
}
