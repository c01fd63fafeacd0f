package io.archiver.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.archiver.localstack.services.ArchiverService;

/**
 * The benchmark end to end at a small size, Archiver only: 20,000 rows, the real local stack and the
 * four prod jars. Asserts that the report holds the figures, not what they are.
 */
class BenchmarkRunTest {

    @Test
    @Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
    void reportsTheFiguresOfASmallRun() throws Exception {
        Path dir = BenchmarkMain.repositoryRoot().resolve("benchmark/target/it");
        SmallRun run = SmallRun.of(dir, "archiver_bench_it");
        BenchmarkOptions options = run.options();
        Results results = run.results();
        String report = run.report();

        Results.Archiver a = results.archiver;
        assertThat(a.outcome).isEqualTo("SUCCEEDED");
        assertThat(a.eligibleBefore).isGreaterThan(11_000);
        assertThat(a.rowsRemoved).isEqualTo(a.eligibleBefore);
        assertThat(a.remainingEligible).isZero();
        assertThat(a.rowsPerSecond()).isPositive();
        assertThat(a.megabytesPerSecond()).isPositive();
        assertThat(a.services.keySet()).containsExactlyInAnyOrderElementsOf(
                List.of(ArchiverService.values()).stream().map(ArchiverService::module).toList());
        assertThat(a.services.values()).allSatisfy(p -> {
            assertThat(p.peakRssKb()).as(p.name() + " peak RSS").isPositive();
            assertThat(p.cpuSeconds()).as(p.name() + " CPU").isPositive();
        });
        assertThat(a.deleteHandlerMs).hasSize((int) a.batches).allSatisfy(ms -> assertThat(ms).isPositive());
        assertThat(a.deleteRows.stream().mapToLong(Long::longValue).sum()).isEqualTo(a.rowsRemoved);
        // the deleter removes each batch in chunks that adapt between chunks.min-rows (100) and chunk-rows (1,000) rows,
        // one transaction each: how many depends on how fast they commit, but never fewer or more than those sizes allow
        int fewestTransactions = a.deleteRows.stream().mapToInt(rows -> (int) Math.max(1, (rows + 999) / 1_000)).sum();
        int mostTransactions = a.deleteRows.stream().mapToInt(rows -> (int) Math.max(1, (rows + 99) / 100)).sum();
        int chunkTransactions = a.deleteTransactionMs.size();
        assertThat(chunkTransactions).isBetween(fewestTransactions, mostTransactions);
        assertThat(a.deleteTransactionMs).allSatisfy(ms -> assertThat(ms).isPositive());
        assertThat(a.writerIdleMs).hasSizeGreaterThan(100);
        assertThat(a.writerDuringMs).isNotEmpty();
        assertThat(a.stages).extracting(Results.StageFigures::stage).contains("PLAN", "EXPORT", "UPLOAD", "DELETE");
        assertThat(a.stageDoneSeconds.keySet()).containsExactly(FillDrain.PLANNED, FillDrain.EXPORTED, FillDrain.UPLOADED, FillDrain.DELETED);
        assertThat(a.stageDoneSeconds.get(FillDrain.DELETED)).hasSize((int) a.batches).allSatisfy(s -> assertThat(s).isBetween(0.0, a.seconds));
        assertThat(a.firstDeleteTxSeconds).isPositive().isLessThanOrEqualTo(a.firstDeletedEventSeconds);

        assertThat(report)
                .containsPattern("end to end\\s+[\\d,]+ rows in [\\d.]+ s \\(trigger -> ArchiveRunCompleted received\\) = [1-9][\\d,]* rows/s")
                .containsPattern("MB/s uploaded")
                .containsPattern("scanner-service \\(pid \\d+\\)\\s+[1-9]\\d*")
                .containsPattern("exporter-service \\(pid \\d+\\)\\s+[1-9]\\d*")
                .containsPattern("uploader-service \\(pid \\d+\\)\\s+[1-9]\\d*")
                .containsPattern("deleter-service \\(pid \\d+\\)\\s+[1-9]\\d*")
                .containsPattern("handler time \\(log ms=\\)\\s+p50 [\\d,.]+ ms, p99 [\\d,.]+ ms")
                .containsPattern("transaction \\(tap\\)\\s+p50 [\\d,.]+ ms, p99 [\\d,.]+ ms")
                .containsPattern("at once \\(tap\\)\\s+at most 1 deleting transaction open together")
                .containsPattern("rows per transaction\\s+mean [\\d,]+ \\([\\d,]+ rows removed / " + chunkTransactions + " committed transactions")
                .containsPattern("the deleter's health throttle on: \\d+ pauses, [\\d.]+ s paused")
                .containsPattern("\\[(PASS|FAIL)\\] delete transaction p99 \\(20,000 rows first run\\): p99 [\\d,]+ ms <= 200 ms")
                .containsPattern("\\[REPORTED\\] concurrent insert p99, every CPU shared \\(20,000 rows first run\\): idle p99 [\\d.]+ ms")
                .contains("[NOT MEASURED] 4. end to end >= 2x pt-archiver")
                .containsPattern("\\[PASS\\] the pipeline's fill and drain shown .*: 20,000 rows first run: planned [\\d.]+\\.\\.[\\d.]+ s,"
                        + " exported [\\d.]+\\.\\.[\\d.]+ s, uploaded [\\d.]+\\.\\.[\\d.]+ s, deleted [\\d.]+\\.\\.[\\d.]+ s")
                .containsPattern("first delete\\s+[\\d.]+ s to the first committed delete transaction \\(tap\\), [\\d.]+ s to the first ArchiveBatchDeleted")
                .contains("PEERS: skipped")
                .contains("(the services' first run since their start)")
                .containsPattern("Archiver\\s+[\\d,.]+ = services [\\d,.]+ \\(of which JIT compiler threads [\\d,.]+\\) \\+ Kafka and S3Proxy")
                .containsPattern("\\n    kafka \\(KRaft\\)\\s+\\S.* s; of [\\d,.]+ CPU s")
                .containsPattern("\\n    s3proxy\\s+\\S.* s; of [\\d,.]+ CPU s");
        assertThat(a.infraThreadCpuSeconds.keySet()).containsExactly(ArchiverBench.KAFKA, ArchiverBench.S3PROXY);

        assertThat(BenchmarkMain.reportPath(options)).isEqualTo(dir.resolve("benchmark-report.txt"));
        assertThat(Files.readString(BenchmarkMain.reportPath(options))).isEqualTo(report);
    }

    @Test
    @Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
    void measuresTheSecondRunOfTheServicesAfterAWarmUpRun() throws Exception {
        Path dir = BenchmarkMain.repositoryRoot().resolve("benchmark/target/it-warm");
        SmallRun run = SmallRun.of(dir, "archiver_bench_itw", "--warm-up-rows", "10000", "--throttle", "off");
        Results results = run.results();
        String report = run.report();

        Results.Archiver a = results.archiver;
        assertThat(a.warmUp).isNotNull();
        assertThat(a.warmUp.outcome).isEqualTo("SUCCEEDED");
        assertThat(a.warmUp.rowsRemoved).as("about 60% of the warm-up's 10,000 rows").isBetween(5_000L, 7_000L);
        assertThat(a.warmUp.runId).isNotEqualTo(a.runId);
        assertThat(a.outcome).isEqualTo("SUCCEEDED");
        assertThat(a.rowsSeeded).isEqualTo(20_000);
        // the measured rows came after the warm-up's: about 12,000 of them eligible, and the warm-up's young rows still there
        assertThat(a.eligibleBefore).isBetween(11_000L, 13_500L);
        assertThat(a.youngBefore).as("8,000 young measured rows + 4,000 young warm-up rows").isGreaterThan(11_000);
        assertThat(a.rowsRemoved).isEqualTo(a.eligibleBefore);
        assertThat(a.remainingEligible).isZero();
        assertThat(report)
                .containsPattern("warm-up run\\s+run-\\S+: SUCCEEDED, 10,000 rows seeded, [\\d,]+ archived in [\\d.]+ s")
                .contains("after the warm-up run over 10,000 others (their young rows stay)")
                .contains("the deleter's health throttle off (--throttle off)")
                .contains("[NOT MEASURED] each service's peak RSS within 20% from the smaller to the larger row count: not measured in this run:"
                        + " needs a first run (the peaks of a run with --warm-up-rows hold the warm-up's rows too)")
                .containsPattern("\\[(PASS|FAIL)\\] warm run \\(20,000 rows warm\\): [\\d.]+ us")
                .doesNotContain("(the services' first run since their start)");
        assertThat(dir.resolve("rss").resolve("peak-rss-rows-20000.properties")).as("a warm-up run's peaks are not stored").doesNotExist();
    }

    /** 20,000 rows, Archiver only, a 5 s idle writer, in its own directory and database; {@code more} adds options. */
    private record SmallRun(BenchmarkOptions options, Results results, String report) {

        static SmallRun of(Path dir, String database, String... more) throws Exception {
            List<String> args = new ArrayList<>(List.of("--rows", "20000", "--skip-peers", "--idle-seconds", "5", "--timeout-minutes", "4"));
            args.addAll(List.of(more));
            BenchmarkOptions options = BenchmarkOptions.parse(args.toArray(String[]::new), BenchmarkMain.repositoryRoot())
                    .isolated(dir.resolve("bench"), dir.resolve("rss"), database);
            Results results = BenchmarkMain.run(options, System.out::println);
            String report = BenchmarkMain.write(options, results);
            System.out.println(report);
            return new SmallRun(options, results, report);
        }
    }
}
