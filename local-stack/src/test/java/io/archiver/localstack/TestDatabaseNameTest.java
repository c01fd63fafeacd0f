package io.archiver.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.archiver.localstack.mysql.MySqlServer;

/** {@link LocalStack#forTests()} names its database after the module folder, whatever the folders are called. */
class TestDatabaseNameTest {

    /** What MySqlProvisioner accepts for a database and its user. */
    private static final String VALID = "[a-z][a-z0-9_]{0,31}";

    @Test
    void theClonesFolderDoesNotCount() {
        assertThat(LocalStack.testDatabase(Path.of("/home/Me/My.Clone-Of-Archiver/local-stack"))).isEqualTo("archiver_local_stack");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local-stack", "System.Tests", "MODULE-With-UPPER.case", "a-module-folder-name-much-longer-than-32-characters",
            "9lives", "...", "modül", "module with spaces"})
    void anyFolderNameMakesAValidDatabaseAndUserNameAlsoWithASuffix(String folder) {
        String database = LocalStack.testDatabase(Path.of("/clone").resolve(folder));

        assertThat(database).matches(VALID).startsWith("archiver_");
        assertThat(MySqlServer.namespaced(database, "_d")).matches(VALID).endsWith("_d");
    }
}
