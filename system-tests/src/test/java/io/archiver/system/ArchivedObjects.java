package io.archiver.system;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import io.archiver.localstack.pipeline.ArchiveBucket;
import io.archiver.rows.ShardFormat;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The archive objects of one run as read back from the S3 server and parsed: each archived row's
 * digest by id, the ids archived more than once, and the objects themselves.
 */
record ArchivedObjects(List<S3Object> objects, List<String> header, Map<Long, String> digests, List<Long> archivedTwice) {

    static ArchivedObjects of(ArchiveBucket bucket, String prefix, String runId) {
        // the run's CSV objects, not their exceptions sidecars (docs/live-tables.md)
        List<S3Object> objects = bucket.list(prefix).stream().filter(o -> o.key().contains("_" + runId + ".csv"))
                .filter(o -> o.key().endsWith(".csv") || o.key().endsWith(".csv.gz")).toList();
        Map<Long, String> digests = new HashMap<>();
        List<Long> twice = new ArrayList<>();
        List<String> header = null;
        for (S3Object object : objects) {
            ShardFormat.Parsed parsed = parse(object.key(), bucket.read(object.key()));
            if (header == null) {
                header = parsed.header();
            } else if (!header.equals(parsed.header())) {
                throw new AssertionError(object.key() + " has header " + parsed.header() + ", the others " + header);
            }
            int idColumn = parsed.header().indexOf("id");
            for (List<String> row : parsed.rows()) {
                long id = Long.parseLong(row.get(idColumn));
                if (digests.put(id, TableSnapshot.digest(row)) != null) {
                    twice.add(id);
                }
            }
        }
        return new ArchivedObjects(objects, header == null ? List.of() : header, digests, twice);
    }

    /** The run's archive objects under {@code prefix} (no manifest, no exceptions sidecar), parsed, by key in order. */
    static Map<String, ShardFormat.Parsed> parsedOfRun(ArchiveBucket bucket, String prefix, String runId) {
        Map<String, ShardFormat.Parsed> parsed = new java.util.TreeMap<>();
        bucket.list(prefix).stream().filter(o -> o.key().contains("_" + runId + ".csv") && io.archiver.manifest.ManifestKeys.isArchiveObject(o.key()))
                .forEach(o -> parsed.put(o.key(), parse(o.key(), bucket.read(o.key()))));
        return parsed;
    }

    static ShardFormat.Parsed parse(String key, byte[] bytes) {
        try (InputStream in = key.endsWith(".gz") ? new GZIPInputStream(new ByteArrayInputStream(bytes))
                : new ByteArrayInputStream(bytes)) {
            return ShardFormat.parse(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + key, e);
        }
    }

    /**
     * Fails unless the ledger's batches of {@code runId} name exactly {@code objects}' keys and each object's rows have the
     * digest the deleter recorded for its batch (what promise 6 checks before a delete).
     */
    static void assertDigestsMatchLedger(java.sql.Connection connection, String runId, Map<String, ShardFormat.Parsed> objects)
            throws java.sql.SQLException {
        Map<String, String> recorded = new HashMap<>();
        try (java.sql.PreparedStatement query = connection.prepareStatement(
                "SELECT object_key, rows_digest FROM archive_batch WHERE run_id = ?")) {
            query.setString(1, runId);
            try (java.sql.ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    recorded.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(recorded.keySet()).as(runId + ": the ledger's objects").isEqualTo(objects.keySet());
        objects.forEach((key, parsed) -> {
            io.archiver.rows.RowsDigest digest = new io.archiver.rows.RowsDigest();
            parsed.rows().forEach(digest::add);
            org.assertj.core.api.Assertions.assertThat(digest.hex()).as(key).isEqualTo(recorded.get(key));
        });
    }

    long bytes() {
        return objects.stream().mapToLong(S3Object::size).sum();
    }
}
