package io.archiver.exporter.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveObjectKey;
import io.archiver.events.BatchScope;
import io.archiver.events.ShardCompression;
import io.archiver.rows.CanonicalValue;
import io.archiver.rows.RowsDigest;
import io.archiver.rows.ShardFormat;

/** Plain unit test of the shard file: no Quarkus, no servers. */
class ShardWriterTest {

    private static final List<String> HEADER = List.of("id", "status", "body", "amount", "ratio", "is_test", "created_at",
            "delivered_on", "payload", "checksum");

    @TempDir
    Path staging;

    private Path target(ShardCompression compression) {
        BatchScope scope = new BatchScope("run_60d", "run", 1_761_955_200_000L, 1, 4, ArchiveMode.DELETE, LocalDate.of(2026, 1, 2));
        return staging.resolve(ArchiveObjectKey.fileName("3f2b8c1e-5d4a-4e8f-9b0c-1a2b3c4d5e6f", scope, compression));
    }

    private static List<List<String>> sampleRows() {
        return List.of(
                canonical(1L, "SENT", "line 1\r\nline 2\n\"quoted\", 🚀", new BigDecimal("1.2300"), 1e-300, true,
                        LocalDateTime.of(2025, 9, 1, 12, 30, 45, 120_000_000), LocalDate.of(2025, 9, 2),
                        "{\"k\":[1,\"two\",null]}", new byte[] {0, (byte) 0xff, (byte) 0xc3, 0x28}),
                canonical(2L, "", null, null, -0.0, false, LocalDateTime.of(2025, 9, 1, 0, 0), null, null, new byte[0]),
                canonical(3L, "  padded  ", "", new BigDecimal("-0.0001"), null, false, LocalDateTime.of(2025, 9, 1, 0, 0, 1),
                        LocalDate.of(2025, 9, 3), "\"\"", null),
                canonical(4L, "NULL", "\r", new BigDecimal("0"), Double.MAX_VALUE, true,
                        LocalDateTime.of(2025, 9, 1, 23, 59, 59, 999_000_000), LocalDate.of(2025, 9, 4), "[]",
                        new byte[] {0x0d, 0x0a}));
    }

    private static List<String> canonical(Object... values) {
        List<String> row = new ArrayList<>();
        for (Object value : values) {
            row.add(CanonicalValue.of(value));
        }
        return row;
    }

    private static String digestOf(List<List<String>> rows) {
        RowsDigest digest = new RowsDigest();
        rows.forEach(digest::add);
        return digest.hex();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The shard's CSV, decompressed where it is gzip (which is then checked by its magic number). */
    private static ShardFormat.Parsed parseShard(Path file, ShardCompression compression) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        InputStream in = new ByteArrayInputStream(bytes);
        if (compression == ShardCompression.GZIP) {
            assertThat(bytes).as("gzip magic number").startsWith((byte) 0x1f, (byte) 0x8b);
            in = new GZIPInputStream(in);
        } else {
            assertThat(bytes).as("plain CSV begins with the quoted header").startsWith((byte) '"');
        }
        try (InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return ShardFormat.parse(reader);
        }
    }

    private List<String> stagingContents() throws IOException {
        try (Stream<Path> files = Files.list(staging)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> neverCalled(AtomicInteger calls) {
        calls.incrementAndGet();
        return List.of("not", "the", "header");
    }

    // ------------------------------------------------------------------ committed shards

    @ParameterizedTest
    @EnumSource(ShardCompression.class)
    void committedShardIsInPlaceWithItsManifestAndNothingElse(ShardCompression compression) throws Exception {
        Path target = target(compression);
        List<List<String>> rows = sampleRows();
        AtomicInteger headerSupplierCalls = new AtomicInteger();

        StagedShard shard;
        try (ShardWriter writer = new ShardWriter(target, compression)) {
            writer.header(HEADER);
            rows.forEach(writer::row);
            assertThat(target).as("not visible under its name before commit").doesNotExist();
            shard = writer.commit(() -> neverCalled(headerSupplierCalls));
        }

        assertThat(headerSupplierCalls).as("the header was already written").hasValue(0);
        assertThat(target).isRegularFile();
        assertThat(stagingContents()).as("no temporary files remain")
                .containsExactlyInAnyOrder(target.getFileName().toString(), target.getFileName() + ".manifest");
        assertThat(shard.file()).isEqualTo(target);
        assertThat(StagedShard.find(target)).contains(shard);
    }

    @Test
    void aShardWithTheLongestNameTheKeyAllowsIsStagedWithItsTemporaryFilesAndManifest() throws Exception {
        BatchScope scope = new BatchScope("run_60d", "run", 1_761_955_200_000L, 1, 4, ArchiveMode.DELETE, LocalDate.of(2026, 1, 2));
        String shortest = ArchiveObjectKey.fileName("r", scope, ShardCompression.GZIP);
        String runId = "r".repeat(1 + ArchiveObjectKey.MAX_NAME - shortest.length());
        Path target = staging.resolve(ArchiveObjectKey.fileName(runId, scope, ShardCompression.GZIP));
        assertThat(target.getFileName().toString()).hasSize(ArchiveObjectKey.MAX_NAME);

        try (ShardWriter writer = new ShardWriter(target, ShardCompression.GZIP)) {
            writer.header(HEADER);
            sampleRows().forEach(writer::row);
            writer.commit(() -> HEADER);
        }

        assertThat(StagedShard.find(target)).isPresent();
        assertThat(stagingContents()).containsExactlyInAnyOrder(target.getFileName().toString(), target.getFileName() + ".manifest");
    }

    @ParameterizedTest
    @EnumSource(ShardCompression.class)
    void reportedSizeAndSha256AreThoseOfTheFileOnDisk(ShardCompression compression) throws Exception {
        Path target = target(compression);
        StagedShard shard;
        try (ShardWriter writer = new ShardWriter(target, compression)) {
            writer.header(HEADER);
            sampleRows().forEach(writer::row);
            shard = writer.commit(() -> HEADER);
        }

        byte[] onDisk = Files.readAllBytes(target);
        assertThat(shard.fileBytes()).isEqualTo(onDisk.length).isEqualTo(Files.size(target));
        assertThat(shard.fileSha256()).isEqualTo(sha256(onDisk)).matches("[0-9a-f]{64}");
        StagedShard found = StagedShard.find(target).orElseThrow();
        assertThat(found.fileBytes()).isEqualTo(onDisk.length);
        assertThat(found.fileSha256()).isEqualTo(sha256(onDisk));
    }

    @ParameterizedTest
    @EnumSource(ShardCompression.class)
    void rowsDigestAndCountAreThoseOfTheRowsWritten(ShardCompression compression) throws Exception {
        Path target = target(compression);
        List<List<String>> rows = sampleRows();
        StagedShard shard;
        try (ShardWriter writer = new ShardWriter(target, compression)) {
            writer.header(HEADER);
            rows.forEach(writer::row);
            shard = writer.commit(() -> HEADER);
        }

        assertThat(shard.rowCount()).isEqualTo(rows.size());
        assertThat(shard.rowsDigest()).isEqualTo(digestOf(rows));
        assertThat(StagedShard.find(target)).get().satisfies(found -> {
            assertThat(found.rowCount()).isEqualTo(rows.size());
            assertThat(found.rowsDigest()).isEqualTo(digestOf(rows));
        });
    }

    @ParameterizedTest
    @EnumSource(ShardCompression.class)
    void theFileParsesBackToTheHeaderAndRowsWritten(ShardCompression compression) throws Exception {
        Path target = target(compression);
        List<List<String>> rows = sampleRows();
        StagedShard shard;
        try (ShardWriter writer = new ShardWriter(target, compression)) {
            writer.header(HEADER);
            rows.forEach(writer::row);
            shard = writer.commit(() -> HEADER);
        }

        ShardFormat.Parsed parsed = parseShard(target, compression);
        assertThat(parsed.header()).isEqualTo(HEADER);
        assertThat(parsed.rows()).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(parsed.rows().get(i)).as("row %d", i).containsExactlyElementsOf(rows.get(i));
        }
        assertThat(parsed.rows().get(1)).containsExactly("2", "", null, null, "-0.0", "0", "2025-09-01 00:00:00", null, null, "");
        assertThat(digestOf(parsed.rows())).as("what a reader of the file digests").isEqualTo(shard.rowsDigest());
    }

    @ParameterizedTest
    @EnumSource(ShardCompression.class)
    void headerIsWrittenOnlyOnce(ShardCompression compression) throws Exception {
        Path target = target(compression);
        try (ShardWriter writer = new ShardWriter(target, compression)) {
            writer.header(HEADER);
            writer.header(List.of("other", "columns"));
            writer.row(sampleRows().get(0));
            writer.header(HEADER);
            writer.commit(() -> HEADER);
        }

        ShardFormat.Parsed parsed = parseShard(target, compression);
        assertThat(parsed.header()).isEqualTo(HEADER);
        assertThat(parsed.rows()).containsExactly(sampleRows().get(0));
    }

    @ParameterizedTest
    @EnumSource(ShardCompression.class)
    void anEmptyShardStillHasTheHeader(ShardCompression compression) throws Exception {
        Path target = target(compression);
        AtomicInteger headerSupplierCalls = new AtomicInteger();
        StagedShard shard;
        try (ShardWriter writer = new ShardWriter(target, compression)) {
            shard = writer.commit(() -> {
                headerSupplierCalls.incrementAndGet();
                return HEADER;
            });
        }

        assertThat(headerSupplierCalls).hasValue(1);
        ShardFormat.Parsed parsed = parseShard(target, compression);
        assertThat(parsed.header()).isEqualTo(HEADER);
        assertThat(parsed.rows()).isEmpty();
        assertThat(shard.rowCount()).isZero();
        assertThat(shard.rowsDigest()).isEqualTo(new RowsDigest().hex());
        byte[] onDisk = Files.readAllBytes(target);
        assertThat(shard.fileBytes()).isEqualTo(onDisk.length).isPositive();
        assertThat(shard.fileSha256()).isEqualTo(sha256(onDisk));
        assertThat(StagedShard.find(target)).contains(shard);
        assertThat(stagingContents()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(ShardCompression.class)
    void aLargeShardSpanningManyBuffersIsCountedAndHashedExactly(ShardCompression compression) throws Exception {
        Path target = target(compression);
        Random random = new Random(42);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            byte[] blob = new byte[random.nextInt(200)];
            random.nextBytes(blob);
            rows.add(canonical((long) i, "SENT", "body " + i + " é🚀\r\n".repeat(random.nextInt(20)), new BigDecimal(i).movePointLeft(4),
                    random.nextDouble(), i % 2 == 0, LocalDateTime.of(2025, 9, 1, 0, 0).plusSeconds(i), null,
                    i % 3 == 0 ? null : "{\"i\":" + i + "}", blob));
        }
        StagedShard shard;
        try (ShardWriter writer = new ShardWriter(target, compression)) {
            writer.header(HEADER);
            rows.forEach(writer::row);
            shard = writer.commit(() -> HEADER);
        }

        byte[] onDisk = Files.readAllBytes(target);
        assertThat(onDisk.length).as("larger than the 64 KiB buffers").isGreaterThan(2 * 64 * 1024);
        assertThat(shard.fileBytes()).isEqualTo(onDisk.length);
        assertThat(shard.fileSha256()).isEqualTo(sha256(onDisk));
        assertThat(shard.rowCount()).isEqualTo(rows.size());
        assertThat(shard.rowsDigest()).isEqualTo(digestOf(rows));
        ShardFormat.Parsed parsed = parseShard(target, compression);
        assertThat(parsed.rows()).isEqualTo(rows);
    }

    // ------------------------------------------------------------------ abandoned shards

    @ParameterizedTest
    @EnumSource(ShardCompression.class)
    void closingWithoutCommitLeavesNoFileAndNoTempFile(ShardCompression compression) throws Exception {
        Path target = target(compression);
        try (ShardWriter writer = new ShardWriter(target, compression)) {
            writer.header(HEADER);
            sampleRows().forEach(writer::row);
            assertThat(stagingContents()).as("a temporary file while writing").hasSize(1)
                    .noneMatch(name -> name.equals(target.getFileName().toString()));
        }

        assertThat(target).doesNotExist();
        assertThat(stagingContents()).isEmpty();
        assertThat(StagedShard.find(target)).isEmpty();
    }

    @Test
    void closingAnUntouchedWriterLeavesNothing() throws Exception {
        Path target = target(ShardCompression.GZIP);
        new ShardWriter(target, ShardCompression.GZIP).close();

        assertThat(stagingContents()).isEmpty();
    }

    @Test
    void anExceptionWhileWritingLeavesNoFile() throws Exception {
        Path target = target(ShardCompression.NONE);
        try (ShardWriter writer = new ShardWriter(target, ShardCompression.NONE)) {
            writer.header(HEADER);
            writer.row(sampleRows().get(0));
            throw new IllegalStateException("the database went away");
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("the database went away");
        }

        assertThat(stagingContents()).isEmpty();
    }

    @Test
    void closingAfterCommitKeepsTheShard() throws Exception {
        Path target = target(ShardCompression.NONE);
        ShardWriter writer = new ShardWriter(target, ShardCompression.NONE);
        writer.header(HEADER);
        writer.row(sampleRows().get(0));
        StagedShard shard = writer.commit(() -> HEADER);
        writer.close();
        writer.close();

        assertThat(target).isRegularFile();
        assertThat(StagedShard.find(target)).contains(shard);
        assertThat(stagingContents()).hasSize(2);
    }

    // ------------------------------------------------------------------ the manifest

    @Test
    void aShardWithoutItsManifestIsNotStaged() throws Exception {
        Path target = target(ShardCompression.NONE);
        try (ShardWriter writer = new ShardWriter(target, ShardCompression.NONE)) {
            writer.header(HEADER);
            writer.commit(() -> HEADER);
        }
        Path manifest = target.resolveSibling(target.getFileName() + ".manifest");
        assertThat(manifest).isRegularFile();
        assertThat(StagedShard.manifestOf(target)).isEqualTo(manifest);

        Files.delete(manifest);
        assertThat(StagedShard.find(target)).isEmpty();
    }

    @Test
    void aManifestWithoutItsShardIsNotStaged() throws Exception {
        Path target = target(ShardCompression.GZIP);
        try (ShardWriter writer = new ShardWriter(target, ShardCompression.GZIP)) {
            writer.header(HEADER);
            writer.row(sampleRows().get(1));
            writer.commit(() -> HEADER);
        }

        Files.delete(target);
        assertThat(StagedShard.find(target)).isEmpty();
    }

    @Test
    void everyGzipLevelHoldsTheSameRowsAndTheFastestIsNoSmallerThanTheSmallest() throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            rows.add(sampleRows().get(i % 4));
        }
        long[] sizes = new long[10];
        for (int level : new int[] { 1, 6, 9 }) {
            Path target = staging.resolve("level" + level).resolve(target(ShardCompression.GZIP).getFileName());
            Files.createDirectories(target.getParent());
            StagedShard shard;
            try (ShardWriter writer = new ShardWriter(target, ShardCompression.GZIP, level)) {
                writer.header(HEADER);
                rows.forEach(writer::row);
                shard = writer.commit(() -> HEADER);
            }
            assertThat(parseShard(target, ShardCompression.GZIP).rows()).as("level " + level).isEqualTo(rows);
            assertThat(shard.rowsDigest()).as("the rows digest does not depend on compression").isEqualTo(digestOf(rows));
            sizes[level] = Files.size(target);
        }
        assertThat(sizes[1]).isGreaterThanOrEqualTo(sizes[9]);
    }

    @Test
    void aGzipLevelOutsideOneToNineIsRefusedWithTheRange() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ShardWriter(target(ShardCompression.GZIP), ShardCompression.GZIP, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..9");
    }

    @Test
    void twoWritersOfDifferentShardsDoNotInterfere() throws Exception {
        Path plain = target(ShardCompression.NONE);
        Path gzip = target(ShardCompression.GZIP);
        try (ShardWriter a = new ShardWriter(plain, ShardCompression.NONE);
                ShardWriter b = new ShardWriter(gzip, ShardCompression.GZIP)) {
            a.header(HEADER);
            b.header(HEADER);
            a.row(sampleRows().get(0));
            b.row(sampleRows().get(1));
            StagedShard one = a.commit(() -> HEADER);
            StagedShard two = b.commit(() -> HEADER);
            assertThat(one.rowsDigest()).isNotEqualTo(two.rowsDigest());
        }

        assertThat(parseShard(plain, ShardCompression.NONE).rows()).containsExactly(sampleRows().get(0));
        assertThat(parseShard(gzip, ShardCompression.GZIP).rows()).containsExactly(sampleRows().get(1));
        assertThat(stagingContents()).hasSize(4);
        assertThat(StagedShard.find(staging.resolve("missing.csv"))).isEmpty();
    }

    @Test
    void nullValuesInARowAreWrittenAsNullNotAsEmptyStrings() throws Exception {
        Path target = target(ShardCompression.NONE);
        try (ShardWriter writer = new ShardWriter(target, ShardCompression.NONE)) {
            writer.header(List.of("a", "b", "c"));
            writer.row(Arrays.asList(null, "", null));
            writer.commit(() -> List.of("a", "b", "c"));
        }

        assertThat(Files.readString(target)).isEqualTo("\"a\",\"b\",\"c\"\r\n,\"\",\r\n");
        assertThat(parseShard(target, ShardCompression.NONE).rows()).containsExactly(Arrays.asList(null, "", null));
    }
}
