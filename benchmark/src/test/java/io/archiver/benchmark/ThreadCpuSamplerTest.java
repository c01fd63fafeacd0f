package io.archiver.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The benchmark's CPU per thread group, threads that end during the run included. */
class ThreadCpuSamplerTest {

    @Test
    void eachThreadCountsFromItsReadingBeforeTheRunAndNewThreadsFromZero() {
        Map<Long, Proc.ThreadCpu> before = Map.of(1L, new Proc.ThreadCpu("executor-thread-#", 10.0), 2L,
                new Proc.ThreadCpu("C# CompilerThre", 5.0), 5L, new Proc.ThreadCpu("ended-before-#", 7.0));
        Map<Long, Proc.ThreadCpu> last = Map.of(1L, new Proc.ThreadCpu("executor-thread-#", 12.5), 2L,
                new Proc.ThreadCpu("C# CompilerThre", 5.0), 3L, new Proc.ThreadCpu("executor-thread-#", 3.0), 4L,
                new Proc.ThreadCpu("GC Thread#", 1.0), 5L, new Proc.ThreadCpu("ended-before-#", 7.0));
        Map<String, Double> groups = ThreadCpuSampler.groups(before, last);
        assertThat(groups.get("executor-thread-#")).isCloseTo(5.5, within(1e-9));
        assertThat(groups.get("GC Thread#")).isCloseTo(1.0, within(1e-9));
        assertThat(groups).as("groups that used no CPU during the run").doesNotContainKeys("C# CompilerThre", "ended-before-#");
    }

    @Test
    void aThreadThatEndsDuringTheRunStillCounts() throws Exception {
        long pid = ProcessHandle.current().pid();
        ThreadCpuSampler sampler = new ThreadCpuSampler(Map.of("self", pid), 50);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread burner = new Thread(() -> {
            long id = Thread.currentThread().getId();
            long x = 0;
            while (mx.getThreadCpuTime(id) < 400_000_000L) { // 0.4 s of CPU, then the thread ends
                for (int i = 0; i < 100_000; i++) {
                    x += i ^ (x >>> 3);
                }
            }
            if (x == 42) {
                System.out.println(x);
            }
        }, "cpu-burner-17");
        burner.start();
        burner.join(30_000);
        assertThat(burner.isAlive()).isFalse();
        // the OS thread outlives join() by a moment: the run ends once its task has left /proc, as the before/after reading would see
        org.awaitility.Awaitility.await("the burner's task leaves /proc").atMost(java.time.Duration.ofSeconds(5))
                .pollInterval(java.time.Duration.ofMillis(10))
                .until(() -> Proc.threadCpu(pid).values().stream().noneMatch(t -> t.group().equals("cpu-burner-#")));
        sampler.close();

        Map<String, Double> groups = sampler.groups("self");
        // sampled every 50 ms, so its last sample is at most ~50 ms (plus a clock tick) short of its 0.4 s
        assertThat(groups.get("cpu-burner-#")).isNotNull().isGreaterThanOrEqualTo(0.25);
        assertThat(sampler.endedThreadsSeconds("self")).isGreaterThanOrEqualTo(0.25);
    }
}
