package io.archiver.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.archiver.support.policy.ColumnTypes;

/**
 * The one list of types Archiver handles, as applying a policy reads it: a column no exact form exists for (MariaDB 10.11, the
 * server the tests run on, has none, so the refusal is shown here) and a key that is not one integer column are refused, naming
 * the column and why.
 */
class ColumnTypesTest {

    @Test
    void aColumnOfATypeWithNoExactFormIsRefusedNamingItAndWhy() {
        assertThat(LiveTableCheck.unsupportedColumn("docs", "embedding", "vector", "vector(3)")).hasValue("column docs.embedding is"
                + " VECTOR(3), a type Archiver cannot write exactly (docs/csv-format.md lists the types it can): every batch would fail at"
                + " export; drop or convert the column, or archive another table");
        for (String type : new String[] { "int", "BIGINT", "decimal", "double", "time", "datetime", "timestamp", "year", "json", "bit",
                "enum", "set", "longblob", "point", "geometry", "inet6", "uuid" }) {
            assertThat(LiveTableCheck.unsupportedColumn("t", "c", type, type)).as(type).isEmpty();
        }
    }

    @Test
    void aKeyIsOneIntegerColumn_signed_orUnsignedUpToInt() {
        for (String type : new String[] { "tinyint", "smallint", "mediumint", "int", "bigint" }) {
            assertThat(ColumnTypes.unsupportedKey(type, type + " unsigned").isPresent()).as(type + " unsigned").isEqualTo(type.equals("bigint"));
            assertThat(ColumnTypes.unsupportedKey(type, type)).as(type).isEmpty();
        }
        assertThat(ColumnTypes.unsupportedKey("varchar", "varchar(32)")).get().asString().startsWith("string keys are not supported yet");
        assertThat(ColumnTypes.unsupportedKey("date", "date")).get().asString().startsWith("date and time keys are not supported yet");
        assertThat(ColumnTypes.unsupportedKey("decimal", "decimal(20,0)")).get().asString().startsWith("DECIMAL keys are not supported yet");
    }
}
