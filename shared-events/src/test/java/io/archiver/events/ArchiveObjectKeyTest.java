package io.archiver.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArchiveObjectKeyTest {

    private static final String PREFIX = "run-archive/";
    private static final String RUN = "3f2b8c1e-5d4a-4e8f-9b0c-1a2b3c4d5e6f";

    private static BatchScope scope(long firstId, long lastId) {
        return new BatchScope("run_60d", "run", SampleEvents.CUTOFF, firstId, lastId, ArchiveMode.DELETE, LocalDate.of(2026, 1, 2));
    }

    @Test
    void keyOfTheRunTableBeginsWithRunArchiveAndTheRunDate() {
        String key = ArchiveObjectKey.of(PREFIX, RUN, scope(1, 5_000), ShardCompression.NONE);

        assertThat(key).startsWith("run-archive/run_archive_20260102")
                .isEqualTo("run-archive/run_archive_20260102_run_60d_0000000000000000001-0000000000000005000_" + RUN + ".csv");
        assertThat(ArchiveObjectKey.fileName(RUN, scope(1, 5_000), ShardCompression.NONE))
                .startsWith("run_archive_20260102_").isEqualTo(key.substring(PREFIX.length()));
    }

    @ParameterizedTest
    @EnumSource(ShardCompression.class)
    void keyEndsWithTheCompressionSuffix(ShardCompression compression) {
        assertThat(ArchiveObjectKey.of(PREFIX, RUN, scope(1, 2), compression)).endsWith(compression.suffix());
    }

    @Test
    void sameInputsGiveTheSameKey() {
        BatchScope one = scope(10, 20);
        BatchScope other = new BatchScope("run_60d", "run", SampleEvents.CUTOFF, 10, 20, ArchiveMode.DELETE,
                LocalDate.parse("2026-01-02"));

        assertThat(ArchiveObjectKey.of(PREFIX, RUN, one, ShardCompression.GZIP))
                .isEqualTo(ArchiveObjectKey.of(PREFIX, new String(RUN.toCharArray()), other, ShardCompression.GZIP));
    }

    @Test
    void differentRangesRunsDatesPoliciesTablesAndEncodingsGiveDifferentKeys() {
        List<String> keys = new ArrayList<>();
        keys.add(ArchiveObjectKey.of(PREFIX, RUN, scope(1, 23), ShardCompression.NONE));
        keys.add(ArchiveObjectKey.of(PREFIX, RUN, scope(12, 23), ShardCompression.NONE));
        keys.add(ArchiveObjectKey.of(PREFIX, RUN, scope(1, 2), ShardCompression.NONE));
        keys.add(ArchiveObjectKey.of(PREFIX, RUN, scope(1, 123), ShardCompression.NONE));
        keys.add(ArchiveObjectKey.of(PREFIX, RUN, scope(11, 23), ShardCompression.NONE));
        keys.add(ArchiveObjectKey.of(PREFIX, "other-run", scope(1, 23), ShardCompression.NONE));
        keys.add(ArchiveObjectKey.of(PREFIX, RUN, scope(1, 23), ShardCompression.GZIP));
        keys.add(ArchiveObjectKey.of(PREFIX, RUN, new BatchScope("run_60d", "run", SampleEvents.CUTOFF, 1, 23, ArchiveMode.DELETE,
                LocalDate.of(2026, 1, 3)), ShardCompression.NONE));
        keys.add(ArchiveObjectKey.of(PREFIX, RUN, new BatchScope("run_90d", "run", SampleEvents.CUTOFF, 1, 23, ArchiveMode.DELETE,
                LocalDate.of(2026, 1, 2)), ShardCompression.NONE));
        keys.add(ArchiveObjectKey.of(PREFIX, RUN, new BatchScope("run_60d", "run_log", SampleEvents.CUTOFF, 1, 23,
                ArchiveMode.DELETE, LocalDate.of(2026, 1, 2)), ShardCompression.NONE));

        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void keysSortByRange() {
        List<String> inRangeOrder = List.of(
                ArchiveObjectKey.of(PREFIX, RUN, scope(0, 8), ShardCompression.NONE),
                ArchiveObjectKey.of(PREFIX, RUN, scope(9, 9), ShardCompression.NONE),
                ArchiveObjectKey.of(PREFIX, RUN, scope(10, 99), ShardCompression.NONE),
                ArchiveObjectKey.of(PREFIX, RUN, scope(100, 1_000_000), ShardCompression.NONE),
                ArchiveObjectKey.of(PREFIX, RUN, scope(Long.MAX_VALUE - 1, Long.MAX_VALUE), ShardCompression.NONE));

        assertThat(inRangeOrder).isSorted();
        assertThat(inRangeOrder.get(4)).contains("_9223372036854775806-9223372036854775807_");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "../etc/passwd", "..", "a..b", "run..", "a b", " run", "run ", "", " ", "a\\b", ".hidden",
            "-run", "run\n1", "run\u0000", "rün", "run/", "/run", "run%2F..%2Fx"})
    void unsafeRunIdsAreRejected(String runId) {
        assertThatThrownBy(() -> ArchiveObjectKey.fileName(runId, scope(1, 2), ShardCompression.NONE))
                .isInstanceOfSatisfying(EventValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("runId");
                    assertThat(e.reason()).isEqualTo(EventDecodingException.Reason.INVALID_FIELD);
                });
        assertThatThrownBy(() -> ArchiveObjectKey.of(PREFIX, runId, scope(1, 2), ShardCompression.GZIP))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {RUN, "r", "run-2026.01.02_manual", "RUN_1"})
    void everyNameFileNameMakesIsAPlainFileName(String runId) {
        for (ShardCompression compression : ShardCompression.values()) {
            String name = ArchiveObjectKey.fileName(runId, scope(0, Long.MAX_VALUE), compression);
            assertThat(ArchiveObjectKey.isPlainFileName(name)).as(name).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {36, 100, 150, 200, 255, 256})
    void fileNameNeverMakesANameTooLongForAFileSystem(int runIdLength) {
        // the staged shard is a file, beside files named after it: at most MAX_NAME bytes leaves them room within NAME_MAX
        String runId = "r".repeat(runIdLength);
        BatchScope longest = new BatchScope("p".repeat(64), "t".repeat(64), SampleEvents.CUTOFF, 0, Long.MAX_VALUE,
                ArchiveMode.DELETE, LocalDate.of(2026, 1, 2));
        for (BatchScope scope : List.of(scope(1, 2), longest)) {
            String name;
            try {
                name = ArchiveObjectKey.fileName(runId, scope, ShardCompression.GZIP);
            } catch (EventValidationException rejected) {
                assertThat(rejected.field()).isEqualTo("runId");
                continue;
            }
            assertThat(name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).as(name).isLessThanOrEqualTo(ArchiveObjectKey.MAX_NAME);
            assertThat(ArchiveObjectKey.isPlainFileName(name)).as(name).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x.csv", "..", ".", "a/b.csv", "/etc/passwd", "run-archive/run_archive_20260102_x.csv",
            "a..b.csv", "x.csv/..", "..\\x.csv", "a\\b.csv", "", " ", "x.csv ", ".x.csv", "x\u0000.csv", "x\n.csv",
            "C:x.csv"})
    void isPlainFileNameRejectsPathsAndTraversal(String name) {
        assertThat(ArchiveObjectKey.isPlainFileName(name)).isFalse();
    }

    @Test
    void isPlainFileNameAcceptsAGeneratedName() {
        assertThat(ArchiveObjectKey.isPlainFileName(
                "run_archive_20260102_run_60d_0000000000000000001-0000000000000005000_" + RUN + ".csv.gz")).isTrue();
    }

    @Test
    void isShardOfAcceptsTheNameOfARangeOfWholeKeysAndRefusesAnotherTableRunOrPath() {
        KeyColumns key = KeyColumns.of(new KeyColumns.Column("basketId", KeyKind.SIGNED_INTEGER), new KeyColumns.Column("businessDate",
                KeyKind.DATE));
        BatchScope scope = BatchScope.ofKeys("baskets", "basket_position", 1_700_000_000_000L, KeyValue.of("42", "2025-06-15"),
                KeyValue.of("43", "2025-01-01"), ArchiveMode.DELETE, LocalDate.of(2026, 1, 2));
        String name = ArchiveObjectKey.fileName("run-1", scope, key, ShardCompression.GZIP);
        assertThat(name).isEqualTo("basket_position_archive_20260102_baskets_42.20250615-43.20250101_run-1.csv.gz");

        assertThat(ArchiveObjectKey.isShardOf(name, "run-1", scope, ShardCompression.GZIP)).isTrue();
        assertThat(ArchiveObjectKey.isShardOf(name, "run-2", scope, ShardCompression.GZIP)).isFalse();
        assertThat(ArchiveObjectKey.isShardOf(name, "run-1", scope, ShardCompression.NONE)).isFalse();
        assertThat(ArchiveObjectKey.isShardOf("other_archive_20260102_baskets_42.20250615-43.20250101_run-1.csv.gz", "run-1", scope,
                ShardCompression.GZIP)).isFalse();
        assertThat(ArchiveObjectKey.isShardOf("basket_position_archive_20260102_baskets_../x_run-1.csv.gz", "run-1", scope,
                ShardCompression.GZIP)).isFalse();
        // a one-integer key's range: only its exact name
        BatchScope ids = new BatchScope("run", "run", 1_700_000_000_000L, 1, 5, ArchiveMode.DELETE, LocalDate.of(2026, 1, 2));
        assertThat(ArchiveObjectKey.isShardOf(ArchiveObjectKey.fileName("r", ids, ShardCompression.GZIP), "r", ids, ShardCompression.GZIP))
                .isTrue();
        assertThat(ArchiveObjectKey.isShardOf("run_archive_20260102_run_1-5_r.csv.gz", "r", ids, ShardCompression.GZIP)).isFalse();
    }
}
