package io.archiver.localstack.mysql;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Creates a database and a user with a password on a MySQL server, as an administrator: root
 * over TCP (password from {@code ARCHIVER_MYSQL_ADMIN_PASSWORD}, empty by default), else root
 * through the {@code mariadb}/{@code mysql} client over the local unix socket, where root is often
 * allowed in only that way.
 */
public final class MySqlProvisioner {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    private MySqlProvisioner() {
    }

    public static void provision(String host, int port, String database, String user, String password) throws SQLException {
        if (!NAME.matcher(database).matches() || !NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("database and user must match " + NAME + ": " + database + ", " + user);
        }
        if (password.contains("'") || password.contains("\\")) {
            throw new IllegalArgumentException("the password must not contain quotes or backslashes");
        }
        List<String> statements = new java.util.ArrayList<>();
        // an embedded server starts with --skip-grant-tables: this loads the grant tables, so users can be created
        statements.add("FLUSH PRIVILEGES");
        if (Boolean.parseBoolean(envOr("ARCHIVER_MYSQL_FRESH", "false"))) {
            statements.add("DROP DATABASE IF EXISTS `" + database + "`");
        }
        statements.addAll(List.of(
                "CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                "CREATE USER IF NOT EXISTS '" + user + "'@'localhost' IDENTIFIED BY '" + password + "'",
                "CREATE USER IF NOT EXISTS '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'",
                "CREATE USER IF NOT EXISTS '" + user + "'@'%' IDENTIFIED BY '" + password + "'",
                "ALTER USER '" + user + "'@'localhost' IDENTIFIED BY '" + password + "'",
                "ALTER USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'",
                "ALTER USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'",
                "GRANT ALL PRIVILEGES ON `" + database + "`.* TO '" + user + "'@'localhost'",
                "GRANT ALL PRIVILEGES ON `" + database + "`.* TO '" + user + "'@'127.0.0.1'",
                "GRANT ALL PRIVILEGES ON `" + database + "`.* TO '" + user + "'@'%'",
                // replica lag and server state for throttling and health
                "GRANT PROCESS, REPLICATION CLIENT ON *.* TO '" + user + "'@'localhost'",
                "GRANT PROCESS, REPLICATION CLIENT ON *.* TO '" + user + "'@'127.0.0.1'",
                "GRANT PROCESS, REPLICATION CLIENT ON *.* TO '" + user + "'@'%'",
                "FLUSH PRIVILEGES"));
        asAdmin(host, port, "provision database " + database, statements);
    }

    /**
     * Runs {@code statements} as the administrator (as {@link #provision} does): for what a provisioned user may not do, such as
     * a test creating a user of fewer privileges.
     */
    public static void asAdmin(String host, int port, String what, List<String> statements) throws SQLException {
        String adminUser = envOr("ARCHIVER_MYSQL_ADMIN_USER", "root");
        String adminPassword = envOr("ARCHIVER_MYSQL_ADMIN_PASSWORD", "");
        SQLException tcpFailure;
        try (Connection admin = DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/", adminUser, adminPassword);
                Statement statement = admin.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
            return;
        } catch (SQLException e) {
            tcpFailure = e;
        }
        if (!viaSocketClient(adminUser, statements)) {
            throw new SQLException("cannot " + what + ": " + adminUser + " over TCP at " + host + ":" + port
                    + " was refused (" + tcpFailure.getMessage() + ") and the mariadb/mysql client over the unix socket failed too;"
                    + " set ARCHIVER_MYSQL_ADMIN_USER and ARCHIVER_MYSQL_ADMIN_PASSWORD", tcpFailure);
        }
    }

    private static boolean viaSocketClient(String adminUser, List<String> statements) {
        for (String client : List.of("mariadb", "mysql")) {
            try {
                Process process = new ProcessBuilder(client, "--protocol=socket", "-u", adminUser).redirectErrorStream(true).start();
                try (OutputStream in = process.getOutputStream()) {
                    in.write((String.join(";\n", statements) + ";\n").getBytes(StandardCharsets.UTF_8));
                }
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return true;
                }
                System.err.println(client + " over the unix socket failed: " + output.strip());
            } catch (IOException e) {
                // no such client here; try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
