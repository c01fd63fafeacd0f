package io.archiver.support.policy;

/**
 * What the source database says about a policy's table, as {@link PolicyTableCheck} needs it: read from
 * information_schema and, only where the date column leads an index, its smallest and largest values
 * (one index lookup at each end). Values are the server's, as text: a number in decimal, a DATE as
 * {@code 2026-01-31}, a DATETIME or TIMESTAMP as {@code 2026-01-31T10:00:00}.
 *
 * @param tableExists the table is in the source database
 * @param dateType the date column's {@code DATA_TYPE} (lower case), or {@code null} when there is no such column
 * @param dateColumnType its {@code COLUMN_TYPE} ({@code bigint(20)}, {@code date}), or {@code null}
 * @param dateIndex an index whose first column is the date column, or {@code null}
 * @param idLeadsPrimaryKey the id column is the first column of the primary key
 * @param minDate the smallest date value, or {@code null} (no row, no index to read it with, or all NULL)
 * @param maxDate the largest date value, or {@code null}
 */
public record TableFacts(String table, boolean tableExists, String dateColumn, String dateType, String dateColumnType, String dateIndex,
        String idColumn, boolean idLeadsPrimaryKey, String minDate, String maxDate) {

    /** {@code table.column}, as messages name the column. */
    public String qualifiedDateColumn() {
        return table + "." + dateColumn;
    }
}
