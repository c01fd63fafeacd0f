package io.archiver.deleter.restore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** What the restore tests read and run on a database: the control one's records, or a target's tables. */
final class RestoreFixtures {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private RestoreFixtures() {
    }

    /** The restore's conflicting keys as the control database lists them, in text order. */
    static List<String> conflicts(Pool control, String restoreId) {
        List<String> found = new ArrayList<>();
        for (Row row : control.preparedQuery("SELECT key_value FROM archive_restore_conflict WHERE restore_id = ? ORDER BY key_value")
                .execute(Tuple.of(restoreId)).await().atMost(WAIT)) {
            found.add(row.getString(0));
        }
        return found;
    }

    static boolean tableExists(Pool pool, String table) {
        return pool.preparedQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")
                .execute(Tuple.of(table)).await().atMost(WAIT).iterator().next().getLong(0) > 0;
    }

    static void execute(Pool pool, String sql) {
        pool.query(sql).execute().await().atMost(WAIT);
    }

    static void withConnection(Pool pool, Consumer<SqlConnection> body) {
        SqlConnection c = pool.getConnection().await().atMost(WAIT);
        try {
            body.accept(c);
        } finally {
            c.close().await().atMost(WAIT);
        }
    }
}
