package io.archiver.support.policy;

/**
 * The information_schema queries a policy's table is judged by, in one place for both readers: the scanner's
 * {@code io.archiver.table.TableFactsReader} (Vert.x client, before each run) and archivectl's
 * {@code io.archiver.policy.LiveTableCheck} (JDBC, when a policy is applied). Both clients take {@code ?} placeholders,
 * so the text is shared as is. Every query is of the current database ({@code DATABASE()}) and never reads the table.
 */
public final class TableFactsSql {

    /** One row, one count: whether table {@code ?} exists. */
    public static final String TABLE_EXISTS = "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
            + " AND TABLE_NAME = ?";

    /** DATA_TYPE and COLUMN_TYPE of column {@code ?} of table {@code ?} (table first); no row when there is no such column. */
    public static final String COLUMN_TYPE = "SELECT DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS"
            + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?";

    /** B-tree indexes of table {@code ?} whose first column is one of two columns {@code ?, ?}: INDEX_NAME, COLUMN_NAME. */
    public static final String LEADING_INDEXES = "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
            + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND SEQ_IN_INDEX = 1 AND INDEX_TYPE = 'BTREE'"
            + " AND COLUMN_NAME IN (?, ?) ORDER BY INDEX_NAME";

    /** The primary key's columns of table {@code ?}, in key order (none when it has no primary key). */
    public static final String PRIMARY_KEY = "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
            + " AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX";

    /**
     * The primary key's columns of table {@code ?} in key order: COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, SUB_PART (the prefix length,
     * null for a whole column).
     */
    public static final String KEY_COLUMN_TYPES = "SELECT s.COLUMN_NAME, c.DATA_TYPE, c.COLUMN_TYPE, s.SUB_PART FROM information_schema.STATISTICS s"
            + " JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME"
            + " WHERE s.TABLE_SCHEMA = DATABASE() AND s.TABLE_NAME = ? AND s.INDEX_NAME = 'PRIMARY' ORDER BY s.SEQ_IN_INDEX";

    /** Every column of table {@code ?} in order: COLUMN_NAME, COLUMN_TYPE (a MOVE table must match them one for one). */
    public static final String COLUMNS = "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
            + " AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";

    /** Every column of table {@code ?} in order: COLUMN_NAME, DATA_TYPE, COLUMN_TYPE (each is checked to be one Archiver writes exactly). */
    public static final String COLUMN_TYPES = "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS"
            + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";

    /** The connected account as information_schema's GRANTEE writes it: {@code 'user'@'host'}. */
    public static final String GRANTEE = "SELECT CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',"
            + " SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')";

    /**
     * The privileges the connected account holds on table {@code ?} of the current database, granted globally, on the database or
     * on the table: PRIVILEGE_TYPE ({@code SELECT}, {@code DELETE}, ...). Grants through roles and database name wildcards are not
     * seen (a missing privilege is then reported though the server would allow it; grant it directly).
     */
    public static final String PRIVILEGES = "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = (" + GRANTEE + ")"
            + " UNION SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = (" + GRANTEE + ")"
            + " AND TABLE_SCHEMA = DATABASE()"
            + " UNION SELECT PRIVILEGE_TYPE FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE = (" + GRANTEE + ")"
            + " AND TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?";

    private TableFactsSql() {
    }
}
