package io.archiver.scanner.persistence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.policy.LiveTableCheck;
import io.archiver.policy.PolicySpec;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicySettings;
import io.smallrye.mutiny.Uni;
import io.archiver.support.source.SourcePools;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Before each run, the checks {@code archivectl policy apply} made ({@link LiveTableCheck}: the key is the table's whole primary
 * key, a MOVE table has the same columns, and the rest), again, since a table can change after its policy was applied. The
 * information_schema facts are read first with the Vert.x client (no blocking on the event loop), then judged by the one owner
 * of the rules. The account's privileges checked are the scanner's own: SELECT on the table.
 */
@ApplicationScoped
public class TableFit {

    private final SourcePools pools;

    public TableFit(SourcePools pools) {
        this.pools = pools;
    }

    /** What is wrong with the policy against its live table, each naming the policy, table, column and fix; empty when it fits. */
    public Uni<List<String>> problems(String policyName, ArchivePolicies.Policy policy) {
        return pools.pool(policy.source()).chain(pool -> problems(pool, policyName, policy));
    }

    private static Uni<List<String>> problems(Pool pool, String policyName, ArchivePolicies.Policy policy) {
        PolicySpec spec = PolicySettings.spec(policyName, policy);
        List<LiveTableCheck.FactQuery> queries = LiveTableCheck.queries(spec);
        List<Uni<List<String[]>>> reads = new ArrayList<>();
        for (LiveTableCheck.FactQuery query : queries) {
            reads.add(pool.preparedQuery(query.sql()).execute(Tuple.from(new ArrayList<Object>(query.parameters()))).map(rows -> {
                List<String[]> read = new ArrayList<>();
                for (Row row : rows) {
                    String[] values = new String[query.width()];
                    for (int c = 0; c < query.width(); c++) {
                        Object value = row.getValue(c);
                        values[c] = value == null ? null : value.toString();
                    }
                    read.add(values);
                }
                return read;
            }));
        }
        return Uni.join().all(reads).andFailFast().map(all -> {
            Map<LiveTableCheck.FactQuery, List<String[]>> answers = new LinkedHashMap<>();
            for (int i = 0; i < queries.size(); i++) {
                answers.put(queries.get(i), all.get(i));
            }
            return new LiveTableCheck(LiveTableCheck.answers(answers), Set.of("SELECT"), Set.of()).problems(spec);
        });
    }
}
