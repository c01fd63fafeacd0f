package io.archiver.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.archiver.support.policy.ColumnTypes;

/**
 * The one list of types Archiver handles, as applying a policy reads it: a column no exact form exists for (MariaDB 10.11, the
 * server the tests run on, has none, so the refusal is shown here) and a key column no range can carry are refused, naming
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
    void aKeyColumnFitsWhenARangeCanCarryItsValues() {
        for (String type : new String[] { "tinyint", "smallint", "mediumint", "int", "bigint", "year" }) {
            assertThat(ColumnTypes.keyFit(type, type, null).kind()).as(type).isEqualTo(io.archiver.events.KeyKind.SIGNED_INTEGER);
        }
        assertThat(ColumnTypes.keyFit("int", "int(10) unsigned", null).kind()).isEqualTo(io.archiver.events.KeyKind.SIGNED_INTEGER);
        assertThat(ColumnTypes.keyFit("bigint", "bigint(20) unsigned", null).kind()).isEqualTo(io.archiver.events.KeyKind.UNSIGNED_INTEGER);
        assertThat(ColumnTypes.keyFit("varchar", "varchar(32)", null).kind()).isEqualTo(io.archiver.events.KeyKind.TEXT);
        assertThat(ColumnTypes.keyFit("date", "date", null).kind()).isEqualTo(io.archiver.events.KeyKind.DATE);
        assertThat(ColumnTypes.keyFit("datetime", "datetime(3)", null).kind()).isEqualTo(io.archiver.events.KeyKind.DATETIME);
        assertThat(ColumnTypes.keyFit("timestamp", "timestamp(3)", null).whyNot()).startsWith("a TIMESTAMP key's value as text depends");
        assertThat(ColumnTypes.keyFit("decimal", "decimal(20,0)", null).whyNot()).startsWith("DECIMAL keys are not handled yet");
        assertThat(ColumnTypes.keyFit("varchar", "varchar(64)", 10).whyNot()).startsWith("the primary key holds only its first 10 characters");
    }
}
