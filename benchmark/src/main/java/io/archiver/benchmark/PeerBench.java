package io.archiver.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.pipeline.PipelineDriver;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.s3.S3Server;

/**
 * The peers, each on a freshly seeded copy of the same data (same generator, row count and share)
 * in a database of its own, with the same concurrent writer inserting:
 * <ul>
 * <li>pt-archiver with its best settings for this job (bulk delete, 5000 rows a chunk, commit each
 * chunk, CSV file), then {@code aws s3 cp} of its file to the same S3 server;</li>
 * <li>the floor: one {@code SELECT ... INTO OUTFILE} (or, where the server forbids it, the
 * {@code mariadb} client's batch output), then range deletes of 10,000 rows each, then the same upload.</li>
 * </ul>
 */
final class PeerBench {

    static final String PT_ARCHIVER = "pt-archiver";
    static final String FLOOR = "floor";

    private final BenchmarkOptions options;
    private final Results results;
    private final LocalStack stack;
    private final Consumer<String> progress;

    PeerBench(BenchmarkOptions options, Results results, LocalStack stack, Consumer<String> progress) {
        this.options = options;
        this.results = results;
        this.stack = stack;
        this.progress = progress;
    }

    /** A peer's database: seeded like Archiver's, counted at a cutoff taken just before the peer starts. */
    private MySqlServer seed(Results.Peer peer, String suffix) {
        progress.accept(peer.name + ": seeding a fresh copy (" + options.rows() + " rows) in " + options.databasePrefix() + "_" + suffix);
        StackLayout layout = StackLayout.locate(options.workDir());
        return new MySqlServer(layout, options.workDir().resolve("mysql-" + suffix), options.databasePrefix() + "_" + suffix)
                .start(options.rows(), options.eligibleShare());
    }

    void ptArchiver() {
        Results.Peer peer = new Results.Peer();
        peer.name = PT_ARCHIVER;
        results.peers.add(peer);
        MySqlServer mysql = null;
        try {
            String version = run(List.of("pt-archiver", "--version"), null, Duration.ofSeconds(30), Map.of()).trim();
            peer.details.add(version);
            mysql = seed(peer, "pt");
            Path dir = clean(options.workDir().resolve("pt-archiver"));
            long cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
            counts(peer, mysql, cutoff);
            MySqlTxTap tap = options.txTap() ? new MySqlTxTap(mysql.host(), mysql.port()) : null;
            String host = tap == null ? mysql.host() : "127.0.0.1";
            int port = tap == null ? mysql.port() : tap.port();
            String dsn = "h=" + host + ",P=" + port + ",u=" + mysql.user() + ",p=" + mysql.password() + ",D=" + mysql.database()
                    + ",t=run,A=utf8mb4";
            List<String> command = List.of("pt-archiver", "--source", dsn, "--where", "msg_sent_date < " + cutoff, "--file",
                    dir.resolve("run_archive_%Y%m%d.csv").toString(), "--output-format", "csv", "--bulk-delete", "--limit", "5000",
                    "--commit-each", "--no-check-charset", "--statistics");
            peer.command = String.join(" ", command).replace(mysql.password(), "***").replace("msg_sent_date < " + cutoff,
                    "'msg_sent_date < " + cutoff + "'").replace(dir.toString(), "<dir>");
            if (tap != null) {
                peer.command += "   (P= is the transaction-timing tap in front of " + mysql.host() + ":" + mysql.port() + ")";
            }
            progress.accept(peer.name + ": archiving " + peer.eligibleBefore + " eligible rows");
            String output;
            try (ConcurrentWriter writer = new ConcurrentWriter(mysql.jdbcUrl(), mysql.user(), mysql.password(), options.writerRate(), options.databaseCpus())) {
                Thread.sleep(2000);
                double mysqlCpu = mysqlCpu();
                double childCpu = Proc.childrenCpuSeconds(ProcessHandle.current().pid());
                writer.begin();
                long start = System.nanoTime();
                output = run(command, dir.resolve("pt-archiver.log"), options.runTimeout(), Map.of());
                peer.toolSeconds = (System.nanoTime() - start) / 1e9;
                peer.toolCpuSeconds = Proc.childrenCpuSeconds(ProcessHandle.current().pid()) - childCpu;
                peer.writerDuringMs.addAll(writer.end());
                peer.mysqlCpuSeconds = mysqlCpu() - mysqlCpu;
                if (tap != null) {
                    tap.committed(start).forEach(t -> peer.transactionMs.add(t.ms()));
                    peer.transactionSource = "transactions with a DELETE, first statement to COMMIT answered, through the tap";
                }
            } finally {
                if (tap != null) {
                    tap.close();
                }
            }
            for (String line : output.split("\n")) {
                if (!line.isBlank() && !line.startsWith("Source:")) {
                    peer.details.add(line.strip().replace(mysql.password(), "***"));
                }
                if (line.startsWith("DELETE ")) {
                    peer.rows = Long.parseLong(line.substring(7).trim());
                }
            }
            after(peer, mysql, cutoff);
            upload(peer, files(dir, ".csv"), "peers/pt-archiver/");
            peer.ran = true;
        } catch (Exception e) {
            peer.failure = e.getMessage() == null ? e.toString() : e.getMessage();
            if (mysql != null) {
                peer.failure = peer.failure.replace(mysql.password(), "***");
            }
        } finally {
            drop(mysql);
        }
    }

    void floor() {
        Results.Peer peer = new Results.Peer();
        peer.name = FLOOR;
        results.peers.add(peer);
        MySqlServer mysql = null;
        try {
            mysql = seed(peer, "floor");
            Path dir = clean(options.workDir().resolve("floor"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // the server writes the OUTFILE
            long cutoff = Instant.now().minus(PipelineDriver.SIXTY_DAYS).toEpochMilli();
            counts(peer, mysql, cutoff);
            Path file = dir.resolve("run_archive_" + DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now()) + "_floor.csv");
            boolean outfile = grantFile(mysql, peer);
            String select = "SELECT * FROM run WHERE msg_sent_date < " + cutoff;
            progress.accept(peer.name + ": exporting and deleting " + peer.eligibleBefore + " eligible rows");
            try (ConcurrentWriter writer = new ConcurrentWriter(mysql.jdbcUrl(), mysql.user(), mysql.password(), options.writerRate(), options.databaseCpus());
                    Connection c = ArchiverBench.jdbc(mysql)) {
                Thread.sleep(2000);
                double mysqlCpu = mysqlCpu();
                double childCpu = Proc.childrenCpuSeconds(ProcessHandle.current().pid());
                writer.begin();
                long start = System.nanoTime();
                if (outfile) {
                    try (Statement s = c.createStatement()) {
                        s.execute(select + " INTO OUTFILE '" + file + "' FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"'"
                                + " LINES TERMINATED BY '\\n'");
                    }
                    peer.command = select + " INTO OUTFILE '<dir>/" + file.getFileName() + "' FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"'";
                } else {
                    run(List.of("mariadb", "-h", mysql.host(), "-P", String.valueOf(mysql.port()), "-u", mysql.user(), mysql.database(),
                            "--batch", "--quick", "-e", select), file, options.runTimeout(), Map.of("MYSQL_PWD", mysql.password()));
                    peer.command = "mariadb --batch --quick -e \"" + select + "\" > <dir>/" + file.getFileName()
                            + "   (fallback: the server would not write an OUTFILE)";
                }
                peer.exportSeconds = (System.nanoTime() - start) / 1e9;
                peer.toolCpuSeconds = Proc.childrenCpuSeconds(ProcessHandle.current().pid()) - childCpu;
                long deleteStart = System.nanoTime();
                rangeDeletes(c, cutoff, peer);
                peer.deleteSeconds = (System.nanoTime() - deleteStart) / 1e9;
                peer.toolSeconds = (System.nanoTime() - start) / 1e9;
                peer.writerDuringMs.addAll(writer.end());
                peer.mysqlCpuSeconds = mysqlCpu() - mysqlCpu;
            }
            peer.command += "; then DELETE FROM run WHERE id > ? AND id <= ? AND msg_sent_date < " + cutoff
                    + " per 10,000 eligible ids (keyset walk on the primary key), autocommit";
            peer.transactionSource = "each DELETE statement timed by the client";
            peer.rows = peer.transactionRows.stream().mapToLong(Long::longValue).sum();
            after(peer, mysql, cutoff);
            upload(peer, List.of(file), "peers/floor/");
            peer.ran = true;
        } catch (Exception e) {
            peer.failure = e.getMessage() == null ? e.toString() : e.getMessage();
            if (mysql != null) {
                peer.failure = peer.failure.replace(mysql.password(), "***");
            }
        } finally {
            drop(mysql);
        }
    }

    private static void rangeDeletes(Connection c, long cutoff, Results.Peer peer) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement next = c.prepareStatement("SELECT COUNT(*), MAX(id) FROM (SELECT id FROM run FORCE INDEX (PRIMARY)"
                + " WHERE id > ? AND msg_sent_date < ? ORDER BY id LIMIT 10000) b");
                PreparedStatement delete = c.prepareStatement("DELETE FROM run WHERE id > ? AND id <= ? AND msg_sent_date < ?")) {
            long after = Long.MIN_VALUE;
            while (true) {
                next.setLong(1, after);
                next.setLong(2, cutoff);
                long n;
                long last;
                try (ResultSet rs = next.executeQuery()) {
                    rs.next();
                    n = rs.getLong(1);
                    last = rs.getLong(2);
                }
                if (n == 0) {
                    return;
                }
                delete.setLong(1, after);
                delete.setLong(2, last);
                delete.setLong(3, cutoff);
                long start = System.nanoTime();
                int deleted = delete.executeUpdate();
                peer.transactionMs.add((System.nanoTime() - start) / 1e6);
                peer.transactionRows.add((long) deleted);
                after = last;
            }
        }
    }

    /** FILE for the peer's user, as the administrator (root over TCP, else over the unix socket); false where it cannot be had. */
    private boolean grantFile(MySqlServer mysql, Results.Peer peer) {
        List<String> grants = new ArrayList<>();
        for (String host : List.of("localhost", "127.0.0.1", "%")) {
            grants.add("GRANT FILE ON *.* TO '" + mysql.user() + "'@'" + host + "'");
        }
        String adminUser = env("ARCHIVER_MYSQL_ADMIN_USER", "root");
        String adminPassword = env("ARCHIVER_MYSQL_ADMIN_PASSWORD", "");
        try (Connection admin = java.sql.DriverManager.getConnection("jdbc:mariadb://" + mysql.host() + ":" + mysql.port() + "/", adminUser,
                adminPassword); Statement s = admin.createStatement()) {
            for (String grant : grants) {
                s.execute(grant);
            }
        } catch (SQLException tcp) {
            try {
                List<String> client = new ArrayList<>(List.of("mariadb", "--protocol=socket", "-u", adminUser, "-e", String.join(";", grants)));
                mysql.socket().ifPresent(socket -> client.add("--socket=" + socket)); // the embedded server's; else the machine's default
                run(client, null, Duration.ofSeconds(30), Map.of());
            } catch (Exception socket) {
                peer.details.add("FILE privilege not granted (" + tcp.getMessage() + "; " + socket.getMessage() + "): using the client's batch output");
                return false;
            }
        }
        try (Connection c = ArchiverBench.jdbc(mysql); ResultSet rs = c.createStatement().executeQuery("SELECT @@secure_file_priv")) {
            rs.next();
            String priv = rs.getString(1);
            peer.details.add("secure_file_priv = " + (priv == null ? "NULL (OUTFILE disabled)" : "'" + priv + "'"));
            if (priv == null) {
                peer.details.add("this server forbids SELECT ... INTO OUTFILE (secure_file_priv is NULL): fell back to the mariadb client's"
                        + " --batch output (tab-separated) into the file");
                return false;
            }
            if (!priv.isEmpty() && !options.workDir().resolve("floor").toString().startsWith(priv)) {
                peer.details.add("the server writes OUTFILEs only under " + priv + ": fell back to the mariadb client's --batch output");
                return false;
            }
        } catch (SQLException e) {
            peer.details.add("cannot read secure_file_priv: " + e.getMessage());
            return false;
        }
        return true;
    }

    private void counts(Results.Peer peer, MySqlServer mysql, long cutoff) throws SQLException {
        try (Connection c = ArchiverBench.jdbc(mysql)) {
            peer.eligibleBefore = ArchiverBench.count(c, "SELECT COUNT(*) FROM run WHERE msg_sent_date < ?", cutoff);
            peer.details.add("young rows before: " + ArchiverBench.count(c, "SELECT COUNT(*) FROM run WHERE msg_sent_date >= ?", cutoff));
        }
    }

    private void after(Results.Peer peer, MySqlServer mysql, long cutoff) throws SQLException {
        try (Connection c = ArchiverBench.jdbc(mysql)) {
            peer.remainingEligible = ArchiverBench.count(c, "SELECT COUNT(*) FROM run WHERE msg_sent_date < ?", cutoff);
            peer.details.add("young rows after (incl. the writer's): " + ArchiverBench.count(c, "SELECT COUNT(*) FROM run WHERE msg_sent_date >= ?", cutoff));
        }
    }

    private void upload(Results.Peer peer, List<Path> files, String prefix) throws Exception {
        S3Server s3 = stack.s3();
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey(), "AWS_DEFAULT_REGION",
                S3Server.REGION, "AWS_EC2_METADATA_DISABLED", "true");
        String aws = System.getProperty("archiver.aws.cli", "aws");
        peer.details.add("aws CLI: " + run(List.of(aws, "--version"), null, Duration.ofSeconds(60), env).trim());
        progress.accept(peer.name + ": aws s3 cp of " + files.size() + " file(s)");
        Long s3proxy = ArchiverBench.infraPids(options).get(ArchiverBench.S3PROXY);
        double s3Before = s3proxy == null ? Double.NaN : Proc.cpuSeconds(s3proxy);
        double childBefore = Proc.childrenCpuSeconds(ProcessHandle.current().pid());
        long start = System.nanoTime();
        for (Path file : files) {
            peer.fileBytes += Files.size(file);
            run(List.of(aws, "--endpoint-url", s3.endpoint(), "s3", "cp", file.toString(),
                    "s3://" + LocalStack.BUCKET + "/" + prefix + file.getFileName(), "--only-show-errors"), null, options.runTimeout(), env);
        }
        peer.uploadSeconds = (System.nanoTime() - start) / 1e9;
        // the AWS CLI's own CPU (a waited-for child) and what the S3 server spent storing the file
        peer.uploadCpuSeconds = Proc.childrenCpuSeconds(ProcessHandle.current().pid()) - childBefore
                + (s3proxy == null ? Double.NaN : Proc.cpuSeconds(s3proxy) - s3Before);
        peer.details.add("uploaded with: aws --endpoint-url " + s3.endpoint() + " s3 cp <file> s3://" + LocalStack.BUCKET + "/" + prefix);
    }

    private static double mysqlCpu() {
        return Proc.mysqlServerPid().stream().mapToDouble(Proc::cpuSeconds).findFirst().orElse(Double.NaN);
    }

    private void drop(MySqlServer mysql) {
        if (mysql == null || options.keepDatabases()) {
            return;
        }
        try (Connection c = ArchiverBench.jdbc(mysql); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE `" + mysql.database() + "`");
        } catch (SQLException e) {
            results.notes.add("cannot drop " + mysql.database() + ": " + e.getMessage());
        }
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalStateException("no " + suffix + " file in " + dir);
            }
            return found;
        }
    }

    static Path clean(Path dir) throws IOException {
        LocalStack.deleteRecursively(dir);
        Files.createDirectories(dir);
        return dir;
    }

    /** Runs a command; its standard output goes to {@code output} (or is returned); fails on a non-zero exit. */
    static String run(List<String> command, Path output, Duration timeout, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Path errors = Files.createTempFile("benchmark-", ".err");
        builder.redirectError(errors.toFile());
        if (output != null) {
            builder.redirectOutput(output.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(command.get(0) + " cannot be started (is it installed? benchmark/run installs percona-toolkit): "
                    + e.getMessage(), e);
        }
        process.getOutputStream().close();
        String text = output == null ? new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish within " + timeout);
        }
        String err = Files.readString(errors, StandardCharsets.UTF_8);
        Files.deleteIfExists(errors);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue() + ": " + err.strip()
                    + (text.isBlank() ? "" : " / " + text.strip()));
        }
        if (output != null && Files.isRegularFile(output) && Files.size(output) < 1_000_000) {
            return Files.readString(output, StandardCharsets.UTF_8); // a log, not a data file
        }
        return text;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
