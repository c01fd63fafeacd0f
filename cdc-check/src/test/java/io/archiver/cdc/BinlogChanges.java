package io.archiver.cdc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.connect.data.Struct;
import org.awaitility.Awaitility;
import org.apache.kafka.connect.source.SourceRecord;

import io.archiver.cdc.ArchivalDeleteFilter.Change;
import io.archiver.localstack.mysql.MySqlServer;
import io.debezium.embedded.Connect;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.ChangeEventFormat;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The row changes of the test database's binlog, each with its transaction: read by Debezium's embedded engine (the MySQL
 * connector, transaction metadata on) where it can read this server's binlog; where it cannot, by the server's own
 * {@code mariadb-binlog --verbose --base64-output=DECODE-ROWS}, row events grouped by the GTID that opens their
 * transaction, and {@link #debeziumError()} says what stopped Debezium.
 */
final class BinlogChanges {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private final MySqlServer mysql;
    private final Path dataDir;
    private final List<Change> changes = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> debeziumError = new AtomicReference<>();
    private DebeziumEngine<?> engine;
    private ExecutorService executor;

    private BinlogChanges(MySqlServer mysql, Path dataDir) {
        this.mysql = mysql;
        this.dataDir = dataDir;
    }

    /** Starts reading (Debezium, streaming from now on) and returns once the reader sees new changes, or Debezium has failed. */
    static BinlogChanges start(MySqlServer mysql, Path dataDir, Pool pool) throws Exception {
        BinlogChanges binlog = new BinlogChanges(mysql, dataDir);
        grantReplication(mysql);
        binlog.startDebezium();
        pool.query("CREATE TABLE IF NOT EXISTS cdc_probe (id BIGINT PRIMARY KEY)").execute().await().atMost(WAIT);
        long[] probe = { 0 };
        try {
            // one probe row per poll, until the engine reports one or fails
            org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).pollDelay(Duration.ZERO).until(() -> {
                pool.query("INSERT INTO cdc_probe VALUES (" + ++probe[0] + ")").execute().await().atMost(WAIT);
                return binlog.debeziumError.get() != null || binlog.changes.stream().anyMatch(c -> c.table().equals("cdc_probe"));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            binlog.debeziumError.compareAndSet(null, "no change event within " + WAIT + " of the engine's start");
        }
        if (binlog.debeziumError.get() == null) {
            return binlog;
        }
        binlog.stopDebezium();
        System.out.println("cdc-check: Debezium failed, reading the binlog with mariadb-binlog: " + binlog.debeziumError.get());
        return binlog;
    }

    String reader() {
        return debeziumError.get() == null ? "Debezium embedded engine, MySQL connector 3.6.1.Final"
                : "mariadb-binlog; Debezium failed: " + debeziumError.get();
    }

    String debeziumError() {
        return debeziumError.get();
    }

    /** Every row change up to the delete of row {@code lastDeletedId} of {@code run}, in binlog order. */
    List<Change> readUntil(long lastDeletedId) throws Exception {
        if (debeziumError.get() == null) {
            Awaitility.await("Debezium delivering the delete of row " + lastDeletedId).atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .failFast("the Debezium engine failed", () -> debeziumError.get() != null)
                    .until(() -> changes.stream().anyMatch(c -> c.table().equals("run") && c.op().equals("d") && c.id() == lastDeletedId));
            stopDebezium();
            return List.copyOf(changes);
        }
        return mariadbBinlog();
    }

    // ------------------------------------------------------------------ Debezium

    private void startDebezium() {
        Properties props = new Properties();
        props.setProperty("name", "cdc-check");
        props.setProperty("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        props.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        props.setProperty("offset.flush.interval.ms", "1000");
        props.setProperty("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
        props.setProperty("database.hostname", mysql.host());
        props.setProperty("database.port", String.valueOf(mysql.port()));
        props.setProperty("database.user", mysql.user());
        props.setProperty("database.password", mysql.password());
        props.setProperty("database.server.id", "5401");
        props.setProperty("database.include.list", mysql.database());
        props.setProperty("topic.prefix", "cdc");
        props.setProperty("snapshot.mode", "no_data");
        props.setProperty("provide.transaction.metadata", "true");
        props.setProperty("include.schema.changes", "false");
        DebeziumEngine<RecordChangeEvent<SourceRecord>> built = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(props)
                .notifying(event -> add(event.record()))
                .using((success, message, error) -> {
                    if (!success) {
                        debeziumError.compareAndSet(null, message + (error == null ? "" : ": " + rootCause(error)));
                    }
                })
                .build();
        engine = built;
        executor = Executors.newSingleThreadExecutor();
        executor.execute(built);
    }

    private void add(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return; // transaction BEGIN/END records and heartbeats
        }
        String op = value.getString("op");
        Struct source = value.getStruct("source");
        Struct row = "d".equals(op) ? value.getStruct("before") : value.getStruct("after");
        Struct transaction = value.schema().field("transaction") == null ? null : value.getStruct("transaction");
        String transactionId = transaction != null ? transaction.getString("id")
                : source.getString("file") + ":" + source.getInt64("pos"); // pos: where the event's transaction begins
        Object id = row == null || row.schema().field("id") == null ? null : row.get("id");
        changes.add(new Change(transactionId, source.getString("table"), op, id == null ? -1 : ((Number) id).longValue()));
    }

    private void stopDebezium() throws Exception {
        if (engine != null) {
            try {
                engine.close();
            } catch (IllegalStateException e) {
                // the engine stopped itself on a failure (debeziumError says which)
            }
            executor.shutdown();
            executor.awaitTermination(30, TimeUnit.SECONDS);
            engine = null;
        }
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == error ? error.toString() : error + " (caused by " + cause + ")";
    }

    // ------------------------------------------------------------------ mariadb-binlog

    private static final Pattern GTID = Pattern.compile("^#.*\\bGTID (\\d+-\\d+-\\d+)");
    private static final Pattern ROW = Pattern.compile("^### (INSERT INTO|UPDATE|DELETE FROM) `[^`]+`\\.`([^`]+)`");
    private static final Pattern FIRST_COLUMN = Pattern.compile("^###\\s+@1=(-?\\d+)");

    private List<Change> mariadbBinlog() throws Exception {
        Path data = dataDir;
        List<String> command = new ArrayList<>(List.of("mariadb-binlog", "--verbose", "--base64-output=DECODE-ROWS"));
        try (Stream<Path> files = Files.list(data)) {
            files.map(Path::toString).filter(f -> f.matches(".*/cdc-bin\\.\\d+")).sorted().forEach(command::add);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        List<Change> found = new ArrayList<>();
        String transaction = null;
        String table = null;
        String op = null;
        boolean awaitingId = false;
        for (String line : output.split("\n")) {
            Matcher gtid = GTID.matcher(line);
            Matcher row = ROW.matcher(line);
            Matcher column = FIRST_COLUMN.matcher(line);
            if (gtid.find()) {
                transaction = gtid.group(1);
            } else if (row.find()) {
                op = switch (row.group(1)) {
                    case "INSERT INTO" -> "c";
                    case "UPDATE" -> "u";
                    default -> "d";
                };
                table = row.group(2);
                awaitingId = true;
            } else if (awaitingId && column.find()) {
                found.add(new Change(transaction, table, op, Long.parseLong(column.group(1))));
                awaitingId = false;
            }
        }
        return found;
    }

    /** Sends the replication grants Debezium needs, as root over the embedded server's unix socket. */
    private static void grantReplication(MySqlServer mysql) throws Exception {
        String user = mysql.user();
        String grants = "GRANT REPLICATION SLAVE, REPLICATION CLIENT, RELOAD, SELECT ON *.* TO '" + user + "'@'%';"
                + "GRANT REPLICATION SLAVE, REPLICATION CLIENT, RELOAD, SELECT ON *.* TO '" + user + "'@'127.0.0.1';"
                + "GRANT REPLICATION SLAVE, REPLICATION CLIENT, RELOAD, SELECT ON *.* TO '" + user + "'@'localhost';";
        Process process = new ProcessBuilder("mariadb", "--protocol=socket", "--socket=" + mysql.socket().orElseThrow(), "-uroot", "-e", grants)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("granting replication to " + user + " failed: " + output);
        }
    }
}
