package io.archiver.deleter.restore;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code archiver.restore.*}: how many archived rows one restoring transaction writes, and how long a statement may take. */
@ConfigMapping(prefix = "archiver.restore")
public interface RestoreConfig {

    /** Most archive records one transaction handles (inserted, skipped or reported): row locks held briefly, as the deletes. */
    @WithDefault("500")
    int chunkRows();

    /** Longest a database statement (or the wait for a connection) may take. */
    @WithDefault("PT2M")
    Duration dbTimeout();
}
