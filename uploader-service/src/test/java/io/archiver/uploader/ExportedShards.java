package io.archiver.uploader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.ArchiveShardExported;
import io.archiver.events.BatchScope;
import io.archiver.events.ShardCompression;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.manifest.ManifestKeys;
import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.ObjectWriter;
import io.archiver.support.policy.PolicySettings;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Shards as the uploader finds them: put in S3 by the exporter's own writer ({@link ObjectWriter}, with the SHA-256 for the
 * server to validate) with the object's manifest beside it, and announced by an ArchiveShardExported.
 */
@Singleton
public class ExportedShards {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final ObjectStore store;
    private final ObjectWriter writer;

    public ExportedShards(ObjectStore store, ObjectWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    /** The event of a shard of {@code bytes}, not (yet) in S3. */
    public ArchiveShardExported announced(byte[] bytes) {
        int run = RUNS.incrementAndGet();
        String runId = "run-" + System.currentTimeMillis() + "-" + run;
        BatchScope scope = new BatchScope("run", "run", System.currentTimeMillis() - 61L * 24 * 3600 * 1000, run * 1000L, run * 1000L + 999,
                ArchiveMode.DELETE, LocalDate.now(ZoneOffset.UTC));
        String key = ArchiveObjectKey.of(PolicySettings.defaults("run").keyPrefix(), runId, scope, ShardCompression.GZIP);
        return ArchiveShardExported.of(runId, runId + "-0001", scope, 3, sha256("rows".getBytes(StandardCharsets.UTF_8)), key, bytes.length,
                sha256(bytes), ShardCompression.GZIP);
    }

    /** A shard of {@code bytes} the exporter put, its manifest beside it, and the event that announces it. */
    public ArchiveShardExported exported(byte[] bytes) throws IOException {
        ArchiveShardExported event = announced(bytes);
        putObject(event, bytes);
        putManifest(event, event.fileSha256());
        return event;
    }

    public ArchiveShardExported exported(String content) throws IOException {
        return exported(content.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts the shard's bytes as the exporter does. */
    public ObjectWriter.Put putObject(ArchiveShardExported event, byte[] bytes) throws IOException {
        Path file = Files.createTempFile("shard", ".csv.gz");
        try {
            Files.write(file, bytes);
            return writer.put(file, event.objectKey(), bytes.length, sha256(bytes));
        } finally {
            Files.delete(file);
        }
    }

    /** Puts the object's manifest as the exporter does, naming {@code sha256} as the object's. */
    public void putManifest(ArchiveShardExported event, String sha256) {
        writer.putManifest(ManifestKeys.ofObject(event.objectKey()), manifest(event, sha256));
    }

    public static byte[] manifest(ArchiveShardExported event, String sha256) {
        ArchiveManifest.ObjectEntry entry = new ArchiveManifest.ObjectEntry(event.objectKey(), Long.toString(event.scope().firstId()),
                Long.toString(event.scope().lastId()), null, null, event.rowCount(), event.fileBytes(), sha256, event.rowsDigest(),
                ArchiveManifest.CSV_GZIP);
        return ManifestCodec.encode(new ArchiveManifest(ArchiveManifest.FORMAT_VERSION, "run", "run", event.runId(), "id", "msg_sent_date",
                "EPOCH_MILLIS", List.of(new ArchiveManifest.Column("id", "bigint", "bigint(20)")), ArchiveManifest.Encoding.CURRENT,
                List.of(entry)));
    }

    public byte[] object(String key) {
        return store.client().getObjectAsBytes(b -> b.bucket(store.bucket()).key(key)).asByteArray();
    }

    public boolean exists(String key) {
        return store.size(key).isPresent();
    }

    /** Puts {@code bytes} under {@code key} as someone else might: no checksum of ours. */
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
