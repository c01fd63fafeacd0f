package io.archiver.localstack.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A JVM for {@link ChildProcessTest} that starts a {@link ChattyChild} as its own child, announces the child's pid, and waits. */
public final class ParentOfChattyChild {

    private ParentOfChattyChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ChildProcess child = ChildProcess.start("chatty", List.of(java, "-cp", System.getProperty("java.class.path"),
                ChattyChild.class.getName(), dir.resolve("never").toString()), dir, dir.resolve("chatty.log"), Map.of());
        child.awaitReady(Duration.ofSeconds(30));
        System.out.println(ChildProcess.READY_MARKER + " child=" + child.pid());
        Thread.sleep(60_000); // until the test stops this JVM
    }
}
