package io.archiver.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.archiver.events.ArchiveMode;
import io.archiver.support.policy.TableFactsSql;

/**
 * The scanner cannot block, so it reads every fact {@link LiveTableCheck#queries} names first and checks over the answers:
 * a question the check asks that is not among them fails every run (it did once, when the column-type check was added).
 * The answers here describe a table that fits, so the check walks every step of a MOVE policy.
 */
class LiveTableCheckQueriesTest {

    @Test
    void everyQuestionTheCheckAsksIsAmongTheQueriesReadBeforehand() {
        PolicySpec spec = PolicySpec.defaults("orders", "orders");
        spec = new PolicySpec(spec.name(), spec.table(), spec.key(), spec.dateColumn(), spec.dateKind(), spec.dateZone(), spec.minAge(),
                spec.batchSize(), ArchiveMode.MOVE, spec.archiveTable(), spec.prefix(), spec.maxSharePerRun(), spec.maxRowsPerRun(),
                spec.allowWholeTable(), spec.confirmFirstRun(), true);
        Map<LiveTableCheck.FactQuery, List<String[]>> read = new LinkedHashMap<>();
        for (LiveTableCheck.FactQuery query : LiveTableCheck.queries(spec)) {
            read.put(query, answer(query, spec));
        }

        List<String> problems = new LiveTableCheck(LiveTableCheck.answers(read), Set.of("SELECT", "DELETE"), Set.of("INSERT"))
                .problems(List.of(spec));

        assertThat(problems).as("a table that fits, described by the answers").isEmpty();
    }

    private static List<String[]> answer(LiveTableCheck.FactQuery query, PolicySpec spec) {
        String sql = query.sql();
        if (sql.equals(TableFactsSql.TABLE_EXISTS)) {
            return List.<String[]>of(new String[] { "1" });
        }
        if (sql.equals(TableFactsSql.PRIMARY_KEY)) {
            return List.<String[]>of(new String[] { spec.keyColumn() });
        }
        if (sql.equals(TableFactsSql.KEY_COLUMN_TYPES)) {
            return List.<String[]>of(new String[] { spec.keyColumn(), "bigint", "bigint(20)", null });
        }
        if (sql.equals(TableFactsSql.COLUMN_TYPES)) {
            return List.of(new String[] { spec.keyColumn(), "bigint", "bigint(20)" }, new String[] { spec.dateColumn(), "bigint", "bigint(20)" });
        }
        if (sql.equals(TableFactsSql.COLUMN_TYPE)) {
            return List.<String[]>of(new String[] { "bigint", "bigint(20)" });
        }
        if (sql.equals(TableFactsSql.LEADING_INDEXES)) {
            return List.<String[]>of(new String[] { "idx_" + spec.dateColumn(), spec.dateColumn() });
        }
        if (sql.equals(TableFactsSql.COLUMNS)) {
            return List.of(new String[] { spec.keyColumn(), "bigint(20)" }, new String[] { spec.dateColumn(), "bigint(20)" });
        }
        if (sql.equals(TableFactsSql.PRIVILEGES)) {
            return List.of(new String[] { "SELECT" }, new String[] { "DELETE" }, new String[] { "INSERT" });
        }
        if (sql.equals(TableFactsSql.GRANTEE)) {
            return List.<String[]>of(new String[] { "'archiver'@'%'" });
        }
        return List.<String[]>of(new String[] { "archiver_db" });
    }
}
