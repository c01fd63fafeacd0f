package io.archiver.localstack.process;

import java.nio.file.Files;
import java.nio.file.Path;

/** A child JVM for {@link ChildProcessTest}: waits (at most a minute) for the file named by its argument, then prints a few lines and ends. */
public final class ChattyChild {

    private ChattyChild() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(ChildProcess.READY_MARKER + " pid=" + ProcessHandle.current().pid());
        Path go = Path.of(args[0]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(go) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.println("done");
    }
}
