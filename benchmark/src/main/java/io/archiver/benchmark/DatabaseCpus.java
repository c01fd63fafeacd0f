package io.archiver.benchmark;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * {@code --database-cpus LIST} for one run: MariaDB (all its threads) on LIST, this JVM (all its threads, so every thread
 * and process it starts later: Kafka, S3Proxy, the services, the peers) on the machine's other CPUs, both with
 * {@code taskset -a -p}; {@link #close()} puts both masks back, and a shutdown hook does it when the JVM is stopped
 * (SIGINT, SIGTERM) during the run. Done here rather than in {@code benchmark/run}'s bash so that the suite can give
 * one run the split and the next none. Two benchmarks pinning the one MariaDB at once would put each other's masks back
 * wrongly, so a pin holds an exclusive lock on {@link #LOCK} (in the machine's temp directory) until it is put back: the
 * second waits.
 */
final class DatabaseCpus implements AutoCloseable {

    static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "archiver-benchmark-database-cpus.lock");

    private final FileLock lock;
    private final long mysqlPid;
    private final String mysqlMask;
    private final long ownPid;
    private final String ownMask;
    private final String others;
    private final Thread restoreOnExit;
    private boolean restored;

    private DatabaseCpus(FileLock lock, long mysqlPid, String mysqlMask, long ownPid, String ownMask, String others) {
        this.lock = lock;
        this.mysqlPid = mysqlPid;
        this.mysqlMask = mysqlMask;
        this.ownPid = ownPid;
        this.ownMask = ownMask;
        this.others = others;
        this.restoreOnExit = new Thread(this::restore, "database-cpus-restore");
    }

    /** Pins as described; fails (and changes nothing) when there is not exactly one MySQL server or no CPU is left. */
    static DatabaseCpus pin(String cpus, int machineCores) throws IOException, InterruptedException {
        String others = others(cpus, machineCores);
        long mysqlPid = Proc.mysqlServerPid().orElseThrow(() -> new IllegalStateException(
                "--database-cpus needs the machine's MySQL server process (mariadbd or mysqld): none found"));
        long ownPid = ProcessHandle.current().pid();
        FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock(); // blocks while another benchmark has MariaDB pinned
        DatabaseCpus pinned;
        try {
            pinned = new DatabaseCpus(lock, mysqlPid, mask(mysqlPid), ownPid, mask(ownPid), others);
        } catch (IOException | RuntimeException | InterruptedException e) {
            channel.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(pinned.restoreOnExit);
        try {
            taskset("-a", "-p", "-c", cpus, String.valueOf(mysqlPid));
            taskset("-a", "-p", "-c", others, String.valueOf(ownPid));
        } catch (IOException | RuntimeException e) {
            pinned.close();
            throw e;
        }
        return pinned;
    }

    /** The CPUs of a machine of {@code machineCores} not in {@code cpus}, comma separated; fails when none is left or one does not exist. */
    static String others(String cpus, int machineCores) {
        List<Integer> database = new ArrayList<>();
        for (String cpu : cpus.split(",")) {
            int c = Integer.parseInt(cpu.trim());
            if (c >= machineCores) {
                throw new IllegalArgumentException("--database-cpus: CPU " + c + " does not exist (this machine has " + machineCores + ")");
            }
            database.add(c);
        }
        StringJoiner others = new StringJoiner(",");
        for (int c = 0; c < machineCores; c++) {
            if (!database.contains(c)) {
                others.add(String.valueOf(c));
            }
        }
        if (others.length() == 0) {
            throw new IllegalArgumentException("--database-cpus " + cpus + " leaves no CPU for the rest");
        }
        return others.toString();
    }

    String others() {
        return others;
    }

    long mysqlPid() {
        return mysqlPid;
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook restores
        }
    }

    private synchronized void restore() {
        if (restored) {
            return;
        }
        restored = true;
        for (long[] pidAndIndex : new long[][] { { ownPid, 0 }, { mysqlPid, 1 } }) {
            String mask = pidAndIndex[1] == 0 ? ownMask : mysqlMask;
            try {
                taskset("-a", "-p", mask, String.valueOf(pidAndIndex[0]));
            } catch (IOException | RuntimeException | InterruptedException e) {
                System.err.println("[benchmark] could not put pid " + pidAndIndex[0] + " back on CPU mask " + mask + ": " + e.getMessage());
            }
        }
        try {
            lock.channel().close(); // releases the lock
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }

    /** The affinity mask (hex) of {@code pid}'s main thread, as {@code taskset -p} prints it. */
    private static String mask(long pid) throws IOException, InterruptedException {
        String out = taskset("-p", String.valueOf(pid)).trim();
        return out.substring(out.lastIndexOf(' ') + 1);
    }

    private static String taskset(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("taskset"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.trim());
        }
        return out;
    }
}
