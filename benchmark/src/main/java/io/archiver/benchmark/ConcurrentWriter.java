package io.archiver.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live application beside the archival: one JDBC connection of its own (autocommit) inserting
 * single young rows (one day old, never eligible) into {@code run} at a fixed rate. Each insert's
 * latency ({@code executeUpdate}, from send to commit acknowledged) is recorded into the phase that
 * is open ({@link #begin()} ... {@link #end()}); between phases it keeps inserting, unrecorded.
 */
public final class ConcurrentWriter implements AutoCloseable {

    private static final String BODY = "Body of a live row written by the benchmark's concurrent writer while the archival runs; "
            + "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore.";

    private final Connection connection;
    private final PreparedStatement insert;
    private final long connectionId;
    private final ScheduledExecutorService executor;
    private final AtomicLong inserted = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile List<Double> phase;
    private volatile String lastFailure;
    private long seq;

    public ConcurrentWriter(String jdbcUrl, String user, String password, int ratePerSecond) throws SQLException {
        this(jdbcUrl, user, password, ratePerSecond, null);
    }

    /** With {@code cpus} (like {@code 0} or {@code 0,1}; null: any), the writer's thread runs on those CPUs only. */
    public ConcurrentWriter(String jdbcUrl, String user, String password, int ratePerSecond, String cpus) throws SQLException {
        this.connection = DriverManager.getConnection(jdbcUrl, user, password);
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            this.connectionId = rs.getLong(1);
        }
        this.insert = connection.prepareStatement("INSERT INTO run (msg_sent_date, run_uuid, status, recipient, subject, body, amount,"
                + " ratio, attempts, is_test, created_at, payload) VALUES (?, ?, 'SENT', ?, ?, ?, ?, ?, 0, 1, ?, ?)");
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "concurrent-writer");
            thread.setDaemon(true);
            return thread;
        });
        if (cpus != null) {
            try {
                executor.submit(() -> pinThisThread(cpus)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pinning the writer's thread", e);
            } catch (java.util.concurrent.ExecutionException e) {
                close();
                throw new IllegalStateException("cannot pin the concurrent writer's thread to CPUs " + cpus + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
        }
        long periodMicros = 1_000_000L / ratePerSecond;
        executor.scheduleAtFixedRate(this::insertOne, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** Linux: {@code taskset} on this thread's id ({@code /proc/thread-self} names it). */
    static Void pinThisThread(String cpus) throws java.io.IOException, InterruptedException {
        String tid = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self")).getFileName().toString();
        Process taskset = new ProcessBuilder("taskset", "-p", "-c", cpus, tid).redirectErrorStream(true).start();
        String output = new String(taskset.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (taskset.waitFor() != 0) {
            throw new java.io.IOException("taskset -p -c " + cpus + " " + tid + " failed: " + output);
        }
        return null;
    }

    private void insertOne() {
        try {
            long n = ++seq;
            long now = System.currentTimeMillis();
            insert.setLong(1, now - Duration.ofDays(1).toMillis());
            insert.setString(2, UUID.randomUUID().toString());
            insert.setString(3, "writer" + n + "@example.org");
            insert.setString(4, "Writer row #" + n);
            insert.setString(5, BODY);
            insert.setBigDecimal(6, java.math.BigDecimal.valueOf(n % 100_000, 2));
            insert.setDouble(7, (n % 1000) / 7.0);
            insert.setTimestamp(8, new Timestamp(now));
            insert.setString(9, "{\"writer\": true, \"n\": " + n + "}");
            List<Double> open = phase;
            long start = System.nanoTime();
            insert.executeUpdate();
            double ms = (System.nanoTime() - start) / 1e6;
            inserted.incrementAndGet();
            if (open != null) {
                open.add(ms);
            }
        } catch (SQLException | RuntimeException e) {
            failures.incrementAndGet();
            lastFailure = e.toString();
        }
    }

    /** Opens a measured phase. */
    public void begin() {
        phase = Collections.synchronizedList(new ArrayList<>());
    }

    /** Closes the phase and returns its insert latencies in milliseconds. */
    public List<Double> end() {
        List<Double> closed = phase;
        phase = null;
        if (closed == null) {
            return List.of();
        }
        synchronized (closed) {
            return new ArrayList<>(closed);
        }
    }

    /** The server's id of the writer's connection (to tell its transactions from the others). */
    public long connectionId() {
        return connectionId;
    }

    public long inserted() {
        return inserted.get();
    }

    public long failures() {
        return failures.get();
    }

    public String lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // best effort
        }
    }
}
