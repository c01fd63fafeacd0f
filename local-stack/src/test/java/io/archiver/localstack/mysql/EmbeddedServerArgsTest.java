package io.archiver.localstack.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.process.StackLayout;

/** The embedded MariaDB takes server arguments: here binary logging in ROW format, as a CDC test needs. */
class EmbeddedServerArgsTest {

    @Test
    void theEmbeddedServerStartsWithTheGivenArguments_binaryLoggingInRowFormat() throws Exception {
        Path workDir = Path.of("target", "embedded-server-args").toAbsolutePath();
        LocalStack.deleteRecursively(workDir);
        try (MySqlServer mysql = new MySqlServer(StackLayout.locate(workDir), workDir.resolve("mysql"), "archiver_binlog").mode("embedded")
                .serverArgs("--log-bin", "--binlog-format=ROW", "--server-id=1")) {
            mysql.start(0, 0);
            try (Connection connection = DriverManager.getConnection(mysql.jdbcUrl(), mysql.user(), mysql.password());
                    ResultSet rs = connection.createStatement().executeQuery("SELECT @@log_bin, @@binlog_format, @@server_id")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("ROW");
                assertThat(rs.getInt(3)).isEqualTo(1);
            }
        }
    }

    @Test
    void argumentsNeedTheEmbeddedServer_andLookLikeOptions() {
        Path dir = Path.of("target", "embedded-server-args-refused").toAbsolutePath();
        assertThatThrownBy(() -> new MySqlServer(StackLayout.locate(dir), dir, "archiver_binlog").mode("external").serverArgs("--log-bin")
                .start(0, 0)).hasMessageContaining("need the embedded server");
        assertThatThrownBy(() -> new MySqlServer(StackLayout.locate(dir), dir, "archiver_binlog").serverArgs("--init-file=/x; rm"))
                .hasMessageContaining("--name or --name=value");
    }
}
