package io.archiver.scanner.domain;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code archiver.scan.*}: how the scanner cuts and feeds the batches of its runs to {@code archive.batches}. */
@ConfigMapping(prefix = "archiver.scan")
public interface BatchWindowConfig {

    /**
     * At most this many batches of one run are published and not ended at a time; the next is published as one ends. So the
     * batches of several runs interleave and a large run does not starve a small one (docs/policies.md). The default is the
     * partitions of {@code archive.batches}, so that one run alone can still keep every exporter consumer busy.
     */
    @WithDefault("12")
    int batchesInFlight();

    /**
     * A run's first batch holds at most this many rows, each next one twice the one before, up to the policy's batch-size
     * ({@link BatchRamp}): the first rows leave the table about as soon as with small batches, the rest go in the policy's
     * large ones.
     */
    @WithDefault("10000")
    int firstBatchRows();
}
