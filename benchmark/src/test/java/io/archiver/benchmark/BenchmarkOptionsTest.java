package io.archiver.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The command line's CPU split and warm-up, and the writer pinning its own thread as --database-cpus asks. */
class BenchmarkOptionsTest {

    @Test
    void databaseCpusAreCpuNumbersOrNothing() {
        Path repo = Path.of(".").toAbsolutePath();
        assertThat(BenchmarkOptions.parse(new String[] { "--skip-peers" }, repo).databaseCpus()).isNull();
        assertThat(BenchmarkOptions.parse(new String[] { "--database-cpus", "0" }, repo).databaseCpus()).isEqualTo("0");
        assertThat(BenchmarkOptions.parse(new String[] { "--database-cpus", "0,2" }, repo).databaseCpus()).isEqualTo("0,2");
        for (String bad : new String[] { "x", "0-1", "", "0,", "-1" }) {
            assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] { "--database-cpus", bad }, repo)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--database-cpus");
        }
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] { "--database-cpus" }, repo))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
    }

    @Test
    void theThrottleIsOnUnlessSwitchedOff() {
        Path repo = Path.of(".").toAbsolutePath();
        assertThat(BenchmarkOptions.parse(new String[] {}, repo).throttle()).isTrue();
        assertThat(BenchmarkOptions.parse(new String[] { "--throttle", "on" }, repo).throttle()).isTrue();
        assertThat(BenchmarkOptions.parse(new String[] { "--throttle", "off" }, repo).throttle()).isFalse();
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] { "--throttle", "no" }, repo))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--throttle takes on or off, was no");
    }

    @Test
    void warmUpRowsAreNoneUnlessAsked() {
        Path repo = Path.of(".").toAbsolutePath();
        assertThat(BenchmarkOptions.parse(new String[] {}, repo).warmUpRows()).isZero();
        assertThat(BenchmarkOptions.parse(new String[] { "--warm-up-rows", "200000" }, repo).warmUpRows()).isEqualTo(200_000);
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] { "--warm-up-rows", "-1" }, repo))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--warm-up-rows >= 0");
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] { "--warm-up-rows" }, repo))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
    }

    @Test
    void instancesAreOneUnlessAskedAndAtMostEight() {
        Path repo = Path.of(".").toAbsolutePath();
        assertThat(BenchmarkOptions.parse(new String[] {}, repo).instances()).isEqualTo(1);
        assertThat(BenchmarkOptions.parse(new String[] { "--instances", "2" }, repo).instances()).isEqualTo(2);
        for (String bad : new String[] { "0", "9", "-1" }) {
            assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] { "--instances", bad }, repo)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--instances takes 1 to 8");
        }
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] { "--instances", "two" }, repo)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSuiteRunsFiveRunsInTheIssuesOrderAndShrinksWithSuiteRows() {
        Path repo = Path.of(".").toAbsolutePath();
        assertThat(BenchmarkOptions.parse(new String[] {}, repo).suite()).isNull();
        BenchmarkOptions full = BenchmarkOptions.parse(new String[] { "--suite" }, repo);
        assertThat(full.suite()).isEqualTo(new BenchmarkOptions.SuiteOptions(1_000_000, 5_000_000, 1_000_000, "0", 2));
        assertThat(Suite.steps(full)).extracting(step -> step.options().commandLine()).containsExactly(
                "benchmark/run --rows 1000000",
                "benchmark/run --rows 1000000 --warm-up-rows 1000000 --skip-peers",
                "benchmark/run --rows 5000000",
                "benchmark/run --rows 1000000 --skip-peers --database-cpus 0",
                "benchmark/run --rows 1000000 --skip-peers --instances 2");
        assertThat(Suite.steps(full)).extracting(Suite.Step::label).containsExactly("1/5 1M first run with the peers", "2/5 1M on warm services",
                "3/5 5M first run with the peers", "4/5 1M with --database-cpus 0 (Archiver alone)", "5/5 1M with --instances 2 (Archiver alone)");
        assertThat(Suite.steps(full)).allSatisfy(step -> assertThat(step.options().suite()).isNull());

        BenchmarkOptions small = BenchmarkOptions.parse(new String[] { "--suite", "--suite-rows", "20000,40000", "--suite-warm-up-rows", "10000",
                "--skip-peers", "--idle-seconds", "5" }, repo);
        assertThat(Suite.steps(small)).extracting(step -> step.options().commandLine()).containsExactly(
                "benchmark/run --rows 20000 --skip-peers",
                "benchmark/run --rows 20000 --warm-up-rows 10000 --skip-peers",
                "benchmark/run --rows 40000 --skip-peers",
                "benchmark/run --rows 20000 --skip-peers --database-cpus 0",
                "benchmark/run --rows 20000 --skip-peers --instances 2");
        assertThat(Suite.steps(small)).allSatisfy(step -> assertThat(step.options().idleSeconds()).isEqualTo(5));

        for (String[] bad : new String[][] { { "--suite", "--suite-rows", "5" }, { "--suite", "--suite-rows", "5,x" },
                { "--suite", "--suite-rows", "50,40" }, { "--suite", "--rows", "5" }, { "--suite", "--instances", "2" },
                { "--suite", "--database-cpus", "0" }, { "--suite-rows", "1,2" }, { "--suite-warm-up-rows", "10" } }) {
            assertThatThrownBy(() -> BenchmarkOptions.parse(bad, repo)).as(String.join(" ", bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("suite");
        }
    }

    @Test
    void theDatabaseCpusLeaveTheOthersToEverythingElse() {
        assertThat(DatabaseCpus.others("0", 2)).isEqualTo("1");
        assertThat(DatabaseCpus.others("1", 4)).isEqualTo("0,2,3");
        assertThatThrownBy(() -> DatabaseCpus.others("0,1", 2)).hasMessageContaining("leaves no CPU for the rest");
        assertThatThrownBy(() -> DatabaseCpus.others("2", 2)).hasMessageContaining("CPU 2 does not exist");
    }

    @Test
    void theWriterPinsItsOwnThreadOnly() throws Exception {
        String before = cpusAllowed(Path.of("/proc/self/status"));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            String allowed = thread.submit(() -> {
                ConcurrentWriter.pinThisThread("0");
                return cpusAllowed(Path.of("/proc/thread-self/status"));
            }).get(30, TimeUnit.SECONDS);
            assertThat(allowed).isEqualTo("0");
            assertThat(cpusAllowed(Path.of("/proc/self/status"))).as("the rest of the JVM keeps its CPUs").isEqualTo(before);
            assertThatThrownBy(() -> thread.submit(() -> ConcurrentWriter.pinThisThread("999")).get(30, TimeUnit.SECONDS))
                    .hasMessageContaining("taskset -p -c 999");
        } finally {
            thread.shutdownNow();
        }
    }

    private static String cpusAllowed(Path status) throws Exception {
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                .substring("Cpus_allowed_list:".length()).trim();
    }
}
