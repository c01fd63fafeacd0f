package io.archiver.localstack.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseSuffixTest {

    @Test
    void noSuffixKeepsTheName() {
        assertThat(MySqlServer.namespaced("archiver_st_faults", null)).isEqualTo("archiver_st_faults");
        assertThat(MySqlServer.namespaced("archiver_st_faults", "")).isEqualTo("archiver_st_faults");
    }

    @Test
    void suffixIsAppendedWithinThirtyTwoCharacters() {
        assertThat(MySqlServer.namespaced("archiver_st_faults", "_w2")).isEqualTo("archiver_st_faults_w2");
        String cut = MySqlServer.namespaced("archiver_local_stack_test_database", "_w2");
        assertThat(cut).hasSize(32).endsWith("_w2").startsWith("archiver_local_stack_test_dat");
    }

    @Test
    void unsafeSuffixIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> MySqlServer.namespaced("archiver", "x;drop")).hasMessageContaining("ARCHIVER_MYSQL_DB_SUFFIX");
    }
}
