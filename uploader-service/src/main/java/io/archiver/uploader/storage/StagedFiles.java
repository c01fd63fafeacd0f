package io.archiver.uploader.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.archiver.manifest.ManifestKeys;

/** The staged shards: their SHA-256, and their removal once the upload is acknowledged. */
public final class StagedFiles {

    private StagedFiles() {
    }

    public static String sha256Hex(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The object's manifest the exporter staged beside the shard ({@code <shard>.manifest.json}). */
    public static Path objectManifestOf(Path file) {
        return file.resolveSibling(file.getFileName() + ManifestKeys.SUFFIX);
    }

    /** Removes the shard and the exporter's manifests beside it. */
    public static void remove(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(objectManifestOf(file));
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".manifest"));
    }
}
