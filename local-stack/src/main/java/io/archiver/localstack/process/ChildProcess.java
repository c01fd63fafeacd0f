package io.archiver.localstack.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server running in a process of its own. Its output goes to a log file; a line
 * {@code ARCHIVER-READY k=v k=v} on standard output announces that it serves, with its coordinates.
 * {@link #kill()} is a SIGKILL: no polite shutdown, as in a crash; {@link #stop(Duration)} is the polite one.
 */
public final class ChildProcess implements AutoCloseable {

    public static final String READY_MARKER = "ARCHIVER-READY";
    /** The first line of what a HotSpot JVM prints on SIGQUIT. */
    static final String THREAD_DUMP_HEADER = "Full thread dump";
    /** The line a HotSpot JVM prints after the last thread of its dump (a heap summary may follow): every thread is in the log. */
    static final String THREAD_DUMP_TRAILER = "JNI global refs";

    private final String name;
    private final Process process;
    private final Path log;
    private final CompletableFuture<Map<String, String>> ready = new CompletableFuture<>();
    private final Thread pump;
    private final AtomicInteger threadDumps = new AtomicInteger();

    /** The children of this JVM still running: stopped when it exits, so that a benchmark or demo stopped by SIGTERM leaves no servers behind. */
    private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::stopAllLive, "local-stack-children-shutdown"));
    }

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pump = new Thread(this::pumpOutput, "stack-" + name + "-output");
        pump.setDaemon(true);
        pump.start();
        LIVE.add(this);
        process.onExit().thenRun(() -> LIVE.remove(this));
        process.onExit().thenRun(() -> ready.completeExceptionally(new IllegalStateException(
                name + " exited with code " + process.exitValue() + " before it was ready; see " + log)));
    }

    /** Starts {@code command} in {@code workDir}, its output appended to {@code log}. */
    public static ChildProcess start(String name, List<String> command, Path workDir, Path log, Map<String, String> env) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "== " + String.join(" ", command) + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(env);
            return new ChildProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.APPEND);
                if (line.startsWith(READY_MARKER)) {
                    ready.complete(parseReady(line));
                }
                if (line.startsWith(THREAD_DUMP_TRAILER)) {
                    threadDumps.incrementAndGet();
                }
            }
        } catch (IOException e) {
            // the process is gone; onExit reports it
        }
    }

    static Map<String, String> parseReady(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : line.substring(READY_MARKER.length()).trim().split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                values.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return values;
    }

    /** Waits for the ready line; fails with the log's tail if the process exits or the time runs out. */
    public Map<String, String> awaitReady(Duration timeout) {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            kill();
            throw new IllegalStateException(name + " was not ready within " + timeout + "; log tail:\n" + tail(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage() + "; log tail:\n" + tail(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** Waits until {@code host:port} accepts connections. */
    public void awaitListening(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!FreePorts.isListening(host, port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; log tail:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw new IllegalStateException(name + " did not listen on " + host + ":" + port + " within " + timeout
                        + "; log tail:\n" + tail());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new IllegalStateException(name + " did not finish within " + timeout + "; log tail:\n" + tail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /**
     * Asks a JVM child for a thread dump (SIGQUIT: it prints one to its output, which goes to the log, and runs on) and waits up
     * to {@code timeout} for every thread of the dump to reach the log (the line after the last one, {@link #THREAD_DUMP_TRAILER}):
     * what a process that stopped answering was doing.
     *
     * @return whether the dump's threads reached the log
     */
    public boolean threadDump(Duration timeout) {
        int before = threadDumps.get();
        try {
            new ProcessBuilder("kill", "-QUIT", String.valueOf(process.pid())).redirectErrorStream(true).start().waitFor(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (threadDumps.get() == before && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            return threadDumps.get() > before;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, so that the process shuts down as on a normal stop (its shutdown hooks run); SIGKILL if it is still there after {@code grace}. */
    public void stop(Duration grace) {
        process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the pipe that brings its last lines to the log
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pump.join(Duration.ofSeconds(10).toMillis()); // its last lines (how it shut down) in the log before this returns
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }

    /** SIGKILL, then waits until the process is gone, with its children. */
    public void kill() {
        forceKill();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL to the process's descendants, then to the process, without waiting. */
    private void forceKill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** On this JVM's exit: SIGTERM to every child still running (their shutdown hooks run), SIGKILL to those left after 10 s. */
    static void stopAllLive() {
        List<ChildProcess> children = List.copyOf(LIVE);
        children.forEach(child -> child.process.toHandle().destroy());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ChildProcess child : children) {
            try {
                if (!child.process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    child.forceKill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The last lines of the log, for error messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return name + "(pid " + process.pid() + ")";
    }
}
