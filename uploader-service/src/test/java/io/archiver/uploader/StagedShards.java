package io.archiver.uploader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.BatchScope;
import io.archiver.events.ShardCompression;
import io.archiver.objectstore.ObjectStore;
import software.amazon.awssdk.core.sync.RequestBody;

/** Shards as the uploader finds them: staged by the exporter (with its manifest) and announced by an ArchiveShardExported. */
@Singleton
public class StagedShards {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final ObjectStore store;

    public StagedShards(ObjectStore store) {
        this.store = store;
    }

    /** A staged shard of {@code bytes}, and the event that announces it. */
    public ArchiveShardExported staged(byte[] bytes) throws IOException {
        int run = RUNS.incrementAndGet();
        String runId = "run-" + System.currentTimeMillis() + "-" + run;
        BatchScope scope = new BatchScope("run", "run", System.currentTimeMillis() - 61L * 24 * 3600 * 1000, run * 1000L, run * 1000L + 999,
                ArchiveMode.DELETE, LocalDate.now(ZoneOffset.UTC));
        String fileName = ArchiveObjectKey.fileName(runId, scope, ShardCompression.GZIP);
        Path file = file(fileName);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        Files.writeString(manifest(file), "rows=3\n");
        return ArchiveShardExported.of(runId, runId + "-0001", scope, 3, sha256("rows".getBytes(StandardCharsets.UTF_8)), fileName, bytes.length,
                sha256(bytes), ShardCompression.GZIP);
    }

    public ArchiveShardExported staged(String content) throws IOException {
        return staged(content.getBytes(StandardCharsets.UTF_8));
    }

    public Path file(String fileName) {
        return Path.of(UploaderTestProfile.STAGING).resolve(fileName);
    }

    public static Path manifest(Path file) {
        return file.resolveSibling(file.getFileName() + ".manifest");
    }

    public String key(ArchiveShardExported event) {
        return io.archiver.support.policy.PolicySettings.defaults("run").keyPrefix() + event.stagedFile();
    }

    public byte[] object(String key) {
        return store.client().getObjectAsBytes(b -> b.bucket(store.bucket()).key(key)).asByteArray();
    }

    public boolean exists(String key) {
        return store.size(key).isPresent();
    }

    public void put(String key, byte[] bytes) {
        store.client().putObject(b -> b.bucket(store.bucket()).key(key), RequestBody.fromBytes(bytes));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
