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
