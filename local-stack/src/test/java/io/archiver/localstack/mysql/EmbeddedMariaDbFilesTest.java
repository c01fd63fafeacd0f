package io.archiver.localstack.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class EmbeddedMariaDbFilesTest {

    private static final Path RUNTIME = Path.of("/tmp/archiver-mariadb-1234567890123456789");

    @Test
    void dataStayInTheWorkDirAndTheSocketAndPidFileGoToTheRuntimeDir() {
        Path work = Path.of("/clone/local-stack/target/local-stack/mysql");
        EmbeddedMariaDbFiles files = new EmbeddedMariaDbFiles(work, RUNTIME).validate();

        assertThat(files.data()).hasParentRaw(work);
        assertThat(files.base()).hasParentRaw(work);
        assertThat(files.tmp()).hasParentRaw(work);
        assertThat(files.socket()).hasParentRaw(RUNTIME);
        assertThat(files.pidFile()).hasParentRaw(RUNTIME);
    }

    @Test
    void aWorkDirDeeperThanASocketPathMayBeIsAccepted() {
        Path work = Path.of("/" + "deep-folder/".repeat(30) + "mysql");

        assertThat(new EmbeddedMariaDbFiles(work, RUNTIME).validate().data().toString()).hasSizeGreaterThan(EmbeddedMariaDbFiles.MAX_SOCKET_PATH);
    }

    @Test
    void aWorkDirTooDeepForMariaDbIsRefusedNamingTheFix() {
        Path work = Path.of("/" + "deep-folder/".repeat(40) + "mysql");

        assertThatThrownBy(() -> new EmbeddedMariaDbFiles(work, RUNTIME).validate())
                .hasMessageContaining("mariadb-data").hasMessageContaining("shorter path").hasMessageContaining("ARCHIVER_MYSQL_MODE");
    }

    @Test
    void aRuntimeDirTooLongForASocketIsRefusedNamingTheFix() {
        Path runtime = Path.of("/" + "long-tmpdir/".repeat(9) + "archiver-mariadb-1");

        assertThatThrownBy(() -> new EmbeddedMariaDbFiles(Path.of("/w"), runtime).validate())
                .hasMessageContaining("mysqld.sock").hasMessageContaining("107").hasMessageContaining("java.io.tmpdir");
    }
}
