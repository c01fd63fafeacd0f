package io.archiver.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.archiver.events.KeyColumns;
import io.archiver.events.KeyKind;
import io.archiver.events.KeyValue;

/** The SQL of key bounds, without a server (issue 22, keys); KeyRangeRowsTest runs it on MariaDB. */
class KeyRangeSqlTest {

    private static final KeyColumns BASKET = KeyColumns.of(new KeyColumns.Column("basketId", KeyKind.SIGNED_INTEGER),
            new KeyColumns.Column("positionId", KeyKind.SIGNED_INTEGER), new KeyColumns.Column("businessDate", KeyKind.DATE));

    @Test
    void eachBoundOfACompositeKeyLeadsWithItsFirstColumnThenComparesTheWholeRow() {
        KeyRangeSql sql = new KeyRangeSql("basket_position", BASKET);
        String row = "(`basket_position`.`basketId`, `basket_position`.`positionId`, `basket_position`.`businessDate`)";

        assertThat(sql.after()).isEqualTo("(`basket_position`.`basketId` >= ? AND " + row + " > (?, ?, ?))");
        assertThat(sql.from()).isEqualTo("(`basket_position`.`basketId` >= ? AND " + row + " >= (?, ?, ?))");
        assertThat(sql.through()).isEqualTo("(`basket_position`.`basketId` <= ? AND " + row + " <= (?, ?, ?))");
        assertThat(sql.in(2)).isEqualTo(row + " IN ((?, ?, ?), (?, ?, ?))");
        assertThat(sql.args(KeyValue.of("42", "7", "2025-06-15"))).containsExactly(42L, 42L, 7L, LocalDate.of(2025, 6, 15));
        assertThat(sql.keysArgs(List.of(KeyValue.of("1", "2", "2025-01-01"), KeyValue.of("3", "4", "2025-01-02"))))
                .containsExactly(1L, 2L, LocalDate.of(2025, 1, 1), 3L, 4L, LocalDate.of(2025, 1, 2));
    }

    @Test
    void aOneColumnKeyIsAPlainComparisonAndABigintUnsignedIsBoundExactly() {
        KeyRangeSql sql = new KeyRangeSql("ids", KeyColumns.of(new KeyColumns.Column("id", KeyKind.UNSIGNED_INTEGER)));

        assertThat(sql.after()).isEqualTo("`ids`.`id` > ?");
        assertThat(sql.through()).isEqualTo("`ids`.`id` <= ?");
        assertThat(sql.in(3)).isEqualTo("`ids`.`id` IN (?, ?, ?)");
        assertThat(sql.args(KeyValue.of("18446744073709551615"))).containsExactly(new BigDecimal("18446744073709551615"));
    }

    @Test
    void identifiersAreQuotedWithTheirBackticksDoubled() {
        KeyRangeSql sql = new KeyRangeSql("odd`table", KeyColumns.of(new KeyColumns.Column("code", KeyKind.TEXT)));

        assertThat(sql.columns()).isEqualTo("`odd``table`.`code`");
        assertThat(sql.columnsDescending()).isEqualTo("`odd``table`.`code` DESC");
    }
}
