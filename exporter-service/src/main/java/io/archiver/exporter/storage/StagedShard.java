package io.archiver.exporter.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * A finished shard in the exporter's scratch directory and what the exporter computed while writing it. The
 * manifest ({@code <shard>.manifest}) is renamed into place after the shard itself, so its
 * presence means the shard is complete.
 */
public record StagedShard(Path file, long rowCount, String rowsDigest, long fileBytes, String fileSha256) {

    static Path manifestOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".manifest");
    }

    /** The object's manifest staged beside the shard, for the uploader to put beside the object ({@code io.archiver.manifest}). */
    public static Path objectManifestOf(Path file) {
        return file.resolveSibling(file.getFileName() + io.archiver.manifest.ManifestKeys.SUFFIX);
    }

    /** The shard staged under {@code file}, if it and its manifest exist. */
    public static Optional<StagedShard> find(Path file) throws IOException {
        Path manifest = manifestOf(file);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(manifest)) {
            p.load(in);
        }
        return Optional.of(new StagedShard(file, Long.parseLong(p.getProperty("rows")), p.getProperty("rowsDigest"),
                Long.parseLong(p.getProperty("fileBytes")), p.getProperty("fileSha256")));
    }

    /** Removes the shard and what was written beside it. */
    public void remove() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(manifestOf(file));
        Files.deleteIfExists(objectManifestOf(file));
    }

    void writeManifest(Path target) throws IOException {
        Properties p = new Properties();
        p.setProperty("rows", Long.toString(rowCount));
        p.setProperty("rowsDigest", rowsDigest);
        p.setProperty("fileBytes", Long.toString(fileBytes));
        p.setProperty("fileSha256", fileSha256);
        try (OutputStream out = Files.newOutputStream(target)) {
            p.store(out, "archive shard " + file.getFileName());
        }
    }
}
