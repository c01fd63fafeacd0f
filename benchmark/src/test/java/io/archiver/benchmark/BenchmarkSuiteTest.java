package io.archiver.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code benchmark/run --suite} end to end at a tiny size on the real local stack, Archiver only: its five runs (first,
 * warm, larger, --database-cpus 0, --instances 2) and one report with every target of issue 25 and a figure for each.
 */
class BenchmarkSuiteTest {

    @Test
    @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
    void oneCommandRunsEveryRunTheTargetsNeedAndPrintsEachTargetWithItsFigure() throws Exception {
        Path dir = BenchmarkMain.repositoryRoot().resolve("benchmark/target/it-suite");
        BenchmarkOptions options = BenchmarkOptions.parse(new String[] { "--suite", "--suite-rows", "10000,20000", "--suite-warm-up-rows", "5000",
                "--skip-peers", "--idle-seconds", "3", "--timeout-minutes", "3" }, BenchmarkMain.repositoryRoot())
                .isolated(dir.resolve("bench"), dir.resolve("rss"), "archiver_bench_its");
        String machineMaskBefore = cpusAllowed(Path.of("/proc/self/status"));

        List<Results> runs = Suite.run(options, System.out::println);
        String report = BenchmarkMain.writeReport(options, Suite.render(options, runs));
        System.out.println(report);

        assertThat(runs).hasSize(5);
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.archiver.outcome).as(r.label).isEqualTo("SUCCEEDED");
            assertThat(r.archiver.remainingEligible).as(r.label).isZero();
            assertThat(r.archiver.rowsRemoved).as(r.label).isEqualTo(r.archiver.eligibleBefore);
        });
        Results two = runs.get(4);
        assertThat(two.instances).isEqualTo(2);
        assertThat(two.archiver.services).hasSize(8).containsKeys("exporter-service", "exporter-service#2", "deleter-service#2");
        assertThat(runs.get(3).databaseCpus).isEqualTo("0");
        assertThat(cpusAllowed(Path.of("/proc/self/status"))).as("this JVM is back on its CPUs after the pinned run").isEqualTo(machineMaskBefore);

        for (int target = 1; target <= 7; target++) {
            assertThat(report).as("target " + target).containsPattern("\\n  \\[(PASS|FAIL|NOT MEASURED)\\] " + target + "\\. ");
        }
        assertThat(report)
                .containsPattern("\\[(PASS|FAIL)\\] first run \\(1/5 10k first run \\(--skip-peers\\)\\): [\\d.,]+ us")
                .containsPattern("\\[(PASS|FAIL)\\] warm run \\(2/5 10k on warm services\\): [\\d.,]+ us")
                .containsPattern("\\[(PASS|FAIL)\\] first delete on warm services \\(2/5 .*\\): [\\d.,]+ s to the first committed delete")
                .containsPattern("\\[(PASS|FAIL)\\] planning \\(1/5 .*\\): [\\d.,]+ s per million eligible rows")
                .containsPattern("\\[(PASS|FAIL)\\] concurrent insert p99 <= 2x idle \\(4/5 10k with --database-cpus 0 \\(Archiver alone\\)\\): idle p99 [\\d.,]+ ms")
                .containsPattern("\\[(PASS|FAIL)\\] each service's peak RSS within 20% from the smaller to the larger row count: N=10,000 vs N=20,000")
                .containsPattern("\\[PASS\\] 2 of each service, every eligible row archived once \\(5/5 .*\\): SUCCEEDED")
                .containsPattern("\\[REPORTED\\] throughput per instance count: 1 instance: [\\d,]+ rows/s \\(1/5 10k first run \\(--skip-peers\\)\\); 2 instances: [\\d,]+ rows/s \\(5/5 ")
                .contains("[NOT MEASURED] at 1M and at 5M rows, first runs: not measured in this run: needs the peers")
                .containsPattern("targets PASS")
                .contains("Archiver benchmark (issues 7 and 25: measure, do not tune) - suite run: 5/5 10k with --instances 2 (Archiver alone)")
                .containsPattern("exporter-service#2 \\(pid \\d+\\)\\s+[1-9]\\d*")
                .contains("FILL AND DRAIN");
        assertThat(Files.readString(BenchmarkMain.reportPath(options))).isEqualTo(report);
        assertThat(dir.resolve("suite/run-5-report.txt")).exists();
        assertThat(dir.resolve("suite/run-2-services/scanner-service.log")).as("each run's service logs are kept").isNotEmptyFile();
        assertThat(dir.resolve("suite/run-5-services/instance-2/deleter-service.log")).isNotEmptyFile();
    }

    private static String cpusAllowed(Path status) throws Exception {
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                .substring("Cpus_allowed_list:".length()).trim();
    }
}
