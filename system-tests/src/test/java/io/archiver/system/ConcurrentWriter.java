package io.archiver.system;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The business writing to {@code run} while the fault suite archives it: in short transactions of its own (straight to the
 * database, not through the services' proxy) it inserts young rows, inserts rows with old dates into the id ranges a run
 * has already planned (into the gaps between their ids), and updates and deletes eligible rows. It records what it did: the
 * values (digest) each row it wrote holds, and the rows it deleted, so that the suite can tell its changes from losses.
 * One operation each {@code pause}; {@code -Darchiver.faults.writer-pause} (default PT0.2S).
 */
final class ConcurrentWriter implements AutoCloseable {

    interface Jdbc {
        Connection open() throws SQLException;
    }

    private static final long OLD_AGE_MS = Duration.ofDays(100).toMillis();

    private final Jdbc jdbc;
    private final Random random;
    private final Duration pause;
    /** Every row this writer inserted or updated, by id, with the digest of the values it left (as {@link TableSnapshot} reads them). */
    final Map<Long, String> written = new ConcurrentHashMap<>();
    final Set<Long> insertedOld = ConcurrentHashMap.newKeySet();
    final Set<Long> insertedYoung = ConcurrentHashMap.newKeySet();
    final Set<Long> updated = ConcurrentHashMap.newKeySet();
    final Set<Long> deleted = ConcurrentHashMap.newKeySet();
    /** Held for each operation; {@link #quiet} holds it while the suite seeds, so that no young row takes an id the seeder will use. */
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong operations = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile String runId;
    private volatile boolean running;
    private Thread thread;

    ConcurrentWriter(Jdbc jdbc, long seed, Duration pause) {
        this.jdbc = jdbc;
        this.random = new Random(seed);
        this.pause = pause;
    }

    /** Starts writing (or goes on), planting old rows into the planned ranges of {@code runId}. */
    synchronized void during(String runId) {
        this.runId = runId;
        if (thread == null) {
            running = true;
            thread = new Thread(this::loop, "concurrent-writer");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops writing; throws what made the writer fail, if anything did. */
    synchronized void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(Duration.ofSeconds(30).toMillis());
            thread = null;
        }
        if (failure.get() != null) {
            throw new AssertionError("the concurrent writer failed", failure.get());
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Runs {@code work} with the writer held between two operations. */
    void quiet(Callable<?> work) throws Exception {
        lock.lock();
        try {
            work.call();
        } finally {
            lock.unlock();
        }
    }

    long operations() {
        return operations.get();
    }

    /** The rows this writer touched (inserted, updated or deleted): not "untouched" in the left-behind figure. */
    boolean touched(long id) {
        return written.containsKey(id) || deleted.contains(id);
    }

    private void loop() {
        try (Connection connection = jdbc.open()) {
            while (running) {
                int dice = random.nextInt(100);
                lock.lock();
                try {
                    if (dice < 25) {
                        insertYoung(connection);
                    } else if (dice < 50) {
                        insertOldIntoPlannedRange(connection);
                    } else if (dice < 85) {
                        updateEligible(connection);
                    } else {
                        deleteEligible(connection);
                    }
                    operations.incrementAndGet();
                } catch (SQLException e) {
                    // a lock wait or deadlock with the deleter: the business would retry; this writer moves on
                    if (!connection.getAutoCommit()) {
                        connection.rollback();
                        connection.setAutoCommit(true);
                    }
                } finally {
                    lock.unlock();
                }
                Thread.sleep(pause.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private void insertYoung(Connection connection) throws SQLException {
        long id = freshId(scalar(connection, "SELECT COALESCE(MAX(id), 0) FROM run") + 1);
        insert(connection, id, System.currentTimeMillis() - random.nextInt(86_400_000), insertedYoung);
    }

    private void insertOldIntoPlannedRange(Connection connection) throws SQLException {
        List<long[]> ranges = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT first_id, last_id FROM archive_batch WHERE run_id = ?")) {
            statement.setString(1, runId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ranges.add(new long[] { rs.getLong(1), rs.getLong(2) });
                }
            }
        }
        if (ranges.isEmpty()) {
            return;
        }
        long[] range = ranges.get(random.nextInt(ranges.size()));
        long id = freshId(range[0] + (long) (random.nextDouble() * (range[1] - range[0] + 1)));
        if (id > range[1]) {
            return;
        }
        insert(connection, id, System.currentTimeMillis() - OLD_AGE_MS - random.nextInt(86_400_000), insertedOld);
    }

    /**
     * The first id from {@code candidate} on that no row ever had: 3 modulo 4, which the seeder never gives
     * ({@code RunTableSeeder}: {@code 4n + 0..2}), and not one this writer used before. A business that reused the id of
     * an archived row would have the archive hold two rows under one id; the suite counts that as archived twice.
     */
    private long freshId(long candidate) {
        long id = candidate + ((3 - candidate % 4) + 4) % 4;
        while (insertedOld.contains(id) || insertedYoung.contains(id)) {
            id += 4;
        }
        return id;
    }

    private void insert(Connection connection, long id, long msgSentDate, Set<Long> into) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement("INSERT IGNORE INTO run (id, msg_sent_date, run_uuid, status, subject,"
                + " amount, created_at) VALUES (?, ?, UUID(), 'WRITER', ?, 12.5, NOW(3))")) {
            statement.setLong(1, id);
            statement.setLong(2, msgSentDate);
            statement.setString(3, "inserted by the concurrent writer " + id);
            if (statement.executeUpdate() == 1) {
                written.put(id, digest(connection, id));
                into.add(id);
            }
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    private void updateEligible(Connection connection) throws SQLException {
        Long id = someEligible(connection);
        if (id == null) {
            return;
        }
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement("UPDATE run SET subject = ?, attempts = COALESCE(attempts, 0) + 1 WHERE id = ?")) {
            statement.setString(1, "updated by the concurrent writer, op " + operations.get());
            statement.setLong(2, id);
            if (statement.executeUpdate() == 1) {
                written.put(id, digest(connection, id)); // read in the same transaction: the values this update left
                updated.add(id);
            }
        }
        connection.commit();
        connection.setAutoCommit(true);
    }

    private void deleteEligible(Connection connection) throws SQLException {
        Long id = someEligible(connection);
        if (id == null) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM run WHERE id = ?")) {
            statement.setLong(1, id);
            if (statement.executeUpdate() == 1) {
                deleted.add(id);
                written.remove(id);
            }
        }
    }

    /** An eligible (old) row at a random point of the table, or null. */
    private Long someEligible(Connection connection) throws SQLException {
        long max = scalar(connection, "SELECT COALESCE(MAX(id), 0) FROM run");
        long from = (long) (random.nextDouble() * max);
        try (PreparedStatement statement = connection.prepareStatement("SELECT id FROM run WHERE id >= ? AND msg_sent_date < ? ORDER BY id LIMIT 1")) {
            statement.setLong(1, from);
            statement.setLong(2, System.currentTimeMillis() - Duration.ofDays(61).toMillis());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static String digest(Connection connection, long id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM run WHERE id = ?")) {
            statement.setLong(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return TableSnapshot.digest(TableSnapshot.values(rs, rs.getMetaData()));
            }
        }
    }

    private static long scalar(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
