package io.archiver.localstack.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real child JVM dumps its threads into its log on request, and runs on. */
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
            assertThat(Files.readString(log)).contains(ChildProcess.THREAD_DUMP_HEADER).contains("\"main\"");
            assertThat(child.isAlive()).isTrue();
            Files.createFile(go);
            assertThat(child.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(Files.readString(log)).contains("done");
        }
    }
}
