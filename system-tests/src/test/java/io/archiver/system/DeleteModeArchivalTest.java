package io.archiver.system;

import io.archiver.events.ArchiveMode;

/** The archival contract in DELETE mode: archived rows are deleted from `run`. */
class DeleteModeArchivalTest extends ArchivalRunContract {

    @Override
    ArchiveMode mode() {
        return ArchiveMode.DELETE;
    }
}
