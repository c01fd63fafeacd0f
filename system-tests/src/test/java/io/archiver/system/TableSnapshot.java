package io.archiver.system;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.archiver.rows.CanonicalValue;
import io.archiver.rows.RowsDigest;

/**
 * A table's rows as read over JDBC (a different client from the services' Vert.x one), each
 * reduced to the digest of its canonical values ({@link CanonicalValue}, {@link RowsDigest}), by id.
 * Two rows with equal digests hold the same values, NULL apart from the empty string.
 */
record TableSnapshot(List<String> columns, Map<Long, String> digests, Map<Long, Long> dates) {

    static TableSnapshot of(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT * FROM `" + table + "` ORDER BY id")) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
            }
            Map<Long, String> digests = new HashMap<>();
            Map<Long, Long> dates = new HashMap<>();
            while (rs.next()) {
                List<String> values = values(rs, meta);
                long id = rs.getLong("id");
                digests.put(id, digest(values));
                dates.put(id, rs.getLong("msg_sent_date"));
            }
            return new TableSnapshot(List.copyOf(columns), digests, dates);
        }
    }

    static String digest(List<String> canonicalValues) {
        return new RowsDigest().add(canonicalValues).hex();
    }

    /** The canonical values of the current row, read by column type. */
    static List<String> values(ResultSet rs, ResultSetMetaData meta) throws SQLException {
        List<String> values = new ArrayList<>(meta.getColumnCount());
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            Object value = switch (meta.getColumnType(i)) {
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> rs.getBytes(i);
                case Types.DECIMAL, Types.NUMERIC -> rs.getBigDecimal(i);
                case Types.DOUBLE, Types.FLOAT, Types.REAL -> rs.getObject(i, Double.class);
                case Types.TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
                case Types.DATE -> rs.getObject(i, LocalDate.class);
                case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> rs.getObject(i, Long.class);
                case Types.BIT, Types.BOOLEAN, Types.TINYINT -> rs.getObject(i, Integer.class);
                default -> rs.getString(i);
            };
            values.add(CanonicalValue.of(value));
        }
        return values;
    }

    long countOlderThan(long cutoffEpochMs) {
        return dates.values().stream().filter(d -> d < cutoffEpochMs).count();
    }
}
