package io.archiver.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.archiver.support.policy.PolicyViolation;
import io.archiver.table.ColumnForms.Column;

/** How each column type is selected, and what is refused, without a server (TypeMatrixReadTest reads them on one). */
class ColumnFormsTest {

    private static Column column(String name, String type, int fraction) {
        return new Column(name, type, type, fraction, false);
    }

    @Test
    void eachTypeIsSelectedInTheFormThatGivesItsExactValue() {
        ColumnForms forms = ColumnForms.of("t", List.of(column("id", "bigint", 0), column("n", "bigint", 0), column("d", "date", 0),
                column("dt", "datetime", 0), column("dt3", "datetime", 3), column("ts6", "timestamp", 6), column("tm", "time", 0),
                column("y", "year", 0), column("b", "bit", 0), column("j", "json", 0), column("g", "point", 0), column("u", "uuid", 0),
                column("f", "float", 0), column("s", "varchar", 0), column("bin", "varbinary", 0)), List.of());

        assertThat(forms.selectList()).isEqualTo("`id`, `n`, CAST(`d` AS CHAR) AS `d`, CAST(`dt` AS CHAR) AS `dt`, "
                + "TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(`dt3` AS CHAR))) AS `dt3`, "
                + "TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(`ts6` AS CHAR))) AS `ts6`, CAST(`tm` AS CHAR) AS `tm`, "
                + "CAST(`y` AS CHAR) AS `y`, CAST(`b` AS UNSIGNED) AS `b`, CAST(`j` AS CHAR) AS `j`, CAST(`g` AS BINARY) AS `g`, "
                + "CAST(`u` AS CHAR) AS `u`, `f`, `s`, `bin`");
        assertThat(forms.readsTimestamps()).isTrue();
        assertThat(ColumnForms.of("t", List.of(column("dt", "datetime", 6)), List.of()).readsTimestamps()).isFalse();
    }

    @Test
    void thePagesSendATextStoredInUtf8AsItIsAndConvertEveryOtherTextToUtf8() {
        ColumnForms forms = ColumnForms.of("t", List.of(column("id", "bigint", 0), new Column("u4", "varchar", "varchar(9)", 0, false, "utf8mb4"),
                new Column("u3", "text", "text", 0, false, "UTF8MB3"), new Column("l1", "varchar", "varchar(9)", 0, false, "latin1"),
                new Column("e", "enum", "enum('a')", 0, false, "utf8mb4"), column("unknown", "char", 0),
                new Column("d", "date", "date", 0, false, "utf8mb4")), List.of());

        assertThat(forms.pageSelectList()).isEqualTo("`id`, CAST(`u4` AS BINARY) AS `u4`, CAST(`u3` AS BINARY) AS `u3`, "
                + "CAST(CONVERT(`l1` USING utf8mb4) AS BINARY) AS `l1`, CAST(`e` AS BINARY) AS `e`, "
                + "CAST(CONVERT(`unknown` USING utf8mb4) AS BINARY) AS `unknown`, CAST(CONVERT(CAST(`d` AS CHAR) USING utf8mb4) AS BINARY) AS `d`");
        assertThat(forms.readsUtf8Bytes(0)).isFalse();
        assertThat(forms.readsUtf8Bytes(1)).isTrue();
        assertThat(forms.readsUtf8Bytes(3)).isTrue();
        assertThat(forms.readsUtf8Bytes(6)).isTrue();
    }

    @Test
    void aTypeWithNoExactFormIsRefusedNamingTheTableTheColumnAndTheType() {
        assertThatThrownBy(() -> ColumnForms.of("t", List.of(column("id", "bigint", 0), new Column("embedding", "vector", "vector(3)", 0, false)),
                List.of())).isInstanceOf(PolicyViolation.class).hasMessageContaining("UNSUPPORTED_COLUMN_TYPE")
                .hasMessageContaining("`t`").hasMessageContaining("`embedding`").hasMessageContaining("vector(3)")
                .hasMessageContaining("nothing was read");
    }

    @Test
    void aTableWithoutColumnsIsNotThere() {
        assertThatThrownBy(() -> ColumnForms.of("missing", List.of(), List.of())).isInstanceOf(PolicyViolation.class)
                .hasMessageContaining("UNKNOWN_TABLE").hasMessageContaining("`missing`");
    }

    @Test
    void theMoveCopyWritesEveryColumnButThoseTheArchiveTableGenerates() {
        List<Column> source = List.of(column("id", "bigint", 0), new Column("g1", "int", "int", 0, true), column("a", "varchar", 0),
                new Column("G2", "int", "int", 0, true), column("derived_here", "int", 0));
        // derived_here is generated in the source only: the archive stores the value as it was
        List<Column> archive = List.of(column("id", "bigint", 0), new Column("g1", "int", "int", 0, true), column("a", "varchar", 0),
                new Column("g2", "int", "int", 0, true), column("derived_here", "int", 0));

        ColumnForms forms = ColumnForms.of("t", source, archive);

        assertThat(forms.copyColumns()).isEqualTo("`id`, `a`, `derived_here`");
        assertThat(forms.selectList()).contains("`g1`", "`G2`");
        assertThat(ColumnForms.of("t", source, List.of()).copyColumns()).as("no archive table: every column, the insert fails on its own")
                .isEqualTo("`id`, `g1`, `a`, `G2`, `derived_here`");
    }

    @Test
    void identifiersAreQuoted() {
        assertThat(ColumnForms.of("t", List.of(column("we`ird", "date", 0)), List.of()).selectList()).isEqualTo("CAST(`we``ird` AS CHAR) AS `we``ird`");
    }
}
