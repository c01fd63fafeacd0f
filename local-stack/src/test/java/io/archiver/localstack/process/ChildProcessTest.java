package io.archiver.localstack.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs: one dumps its threads into its log on request and runs on; a JVM stopped by SIGTERM stops its own children. */
class ChildProcessTest {

    @TempDir
    Path dir;

    private ChildProcess chattyChild(Path log, Path go) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return ChildProcess.start("chatty", List.of(java, "-cp", System.getProperty("java.class.path"), ChattyChild.class.getName(),
                go.toString()), dir, log, Map.of());
    }

    @Test
    void aThreadDumpReachesTheLogAndTheChildRunsOn() throws Exception {
        Path log = dir.resolve("chatty.log");
        Path go = dir.resolve("go");
        try (ChildProcess child = chattyChild(log, go)) {
            child.awaitReady(Duration.ofSeconds(30));
            assertThat(child.threadDump(Duration.ofSeconds(20))).isTrue();
            // every thread, not only the dump's first lines: the method returns once the line after the last thread is in the log
            assertThat(Files.readString(log)).contains(ChildProcess.THREAD_DUMP_HEADER).contains("\"main\"")
                    .contains(ChildProcess.THREAD_DUMP_TRAILER);
            assertThat(child.isAlive()).isTrue();
            Files.createFile(go);
            assertThat(child.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(Files.readString(log)).contains("done");
        }
    }

    @Test
    void aJvmStoppedBySigtermStopsTheChildrenItStarted() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (ChildProcess parent = ChildProcess.start("parent", List.of(java, "-cp", System.getProperty("java.class.path"),
                ParentOfChattyChild.class.getName(), dir.toString()), dir, dir.resolve("parent.log"), Map.of())) {
            long childPid = Long.parseLong(parent.awaitReady(Duration.ofSeconds(60)).get("child"));
            ProcessHandle child = ProcessHandle.of(childPid).orElseThrow();
            parent.stop(Duration.ofSeconds(30)); // SIGTERM, as a benchmark or demo stopped by kill
            // without the parent's shutdown hook the child would run on, an orphan, until its own minute is over
            assertThat(child.onExit().get(20, TimeUnit.SECONDS).isAlive()).isFalse();
        }
    }
}
