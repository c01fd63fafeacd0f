package io.archiver.events;

/** How a CSV shard's bytes are encoded. */
public enum ShardCompression {
    NONE(".csv"),
    GZIP(".csv.gz");

    private final String suffix;

    ShardCompression(String suffix) {
        this.suffix = suffix;
    }

    /** The file name suffix of a shard in this encoding. */
    public String suffix() {
        return suffix;
    }
}
