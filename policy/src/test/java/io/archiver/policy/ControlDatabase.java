package io.archiver.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;

/**
 * A test class's own control database on the real MySQL, with the ledger's migrations applied as the scanner applies them
 * (read from the checkout, {@code ledger/src/main/resources/db/ledger}): the policy tables and the seeded run policy.
 */
public final class ControlDatabase implements AutoCloseable {

    public final MySqlServer mysql;

    private ControlDatabase(MySqlServer mysql) {
        this.mysql = mysql;
    }

    public static ControlDatabase start(String name) {
        Path workDir = Path.of("target", name).toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        MySqlServer mysql = new MySqlServer(StackLayout.locate(workDir), workDir.resolve("mysql"), name.replace('-', '_')).start(0, 0);
        ControlDatabase db = new ControlDatabase(mysql);
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            for (Path migration : migrations()) {
                for (String sql : statements(migration)) {
                    statement.execute(sql);
                }
            }
        } catch (SQLException e) {
            db.close();
            throw new IllegalStateException("cannot migrate the control database", e);
        }
        return db;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
    }

    private static List<Path> migrations() {
        Path dir = null;
        for (Path at = Path.of("").toAbsolutePath(); at != null && dir == null; at = at.getParent()) {
            if (Files.isDirectory(at.resolve("ledger/src/main/resources/db/ledger"))) {
                dir = at.resolve("ledger/src/main/resources/db/ledger");
            }
        }
        if (dir == null) {
            throw new IllegalStateException("no ledger/src/main/resources/db/ledger above " + Path.of("").toAbsolutePath());
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(f -> Integer.parseInt(f.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> statements(Path migration) {
        try {
            String sql = Files.readAllLines(migration).stream().filter(line -> !line.trim().startsWith("--")).reduce("", (a, b) -> a + "\n" + b);
            return Arrays.stream(sql.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        mysql.close();
    }
}
