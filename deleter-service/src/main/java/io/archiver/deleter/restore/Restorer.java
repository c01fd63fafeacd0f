package io.archiver.deleter.restore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import io.archiver.deleter.restore.RestoreSession.ChunkResult;
import io.archiver.events.RestoreRequested;
import io.archiver.events.RestoreRequested.RestoreScope;
import io.archiver.ledger.RestoreRecord;
import io.archiver.ledger.RestoreState;
import io.archiver.ledger.SourceProgress;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.objectstore.ArchiveQuery;
import io.archiver.objectstore.ArchiveReader;
import io.archiver.objectstore.ObjectStore;
import io.archiver.policy.SourceSpec;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.support.policy.PolicyViolation;
import io.archiver.support.source.SourcePools;
import io.archiver.table.ColumnForms;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Writes archived rows back (docs/archive.md#restore), into a table of the policy's database: the control one or its source's
 * ({@link RestoreSession} keeps each chunk's progress where its rows are). Trusts nothing the request says: the policy must
 * exist, the target must be another table that no policy of that database archives, or the policy's own table only when the request says so
 * explicitly, the policy is disabled and no run of it is in flight (so that no run archives the restored rows again until
 * someone enables the policy: that is the decision). Every object in scope is read whole and held to its manifest (size,
 * SHA-256, header, rows) before any row is written; a damaged or missing object fails the restore with nothing written.
 * Then each object's records are written in chunks of {@code archiver.restore.chunk-rows}, one short transaction each:
 * the chunk's keys are read in the target under lock; a row absent is inserted (and read back: it must give the archived
 * values exactly, or the chunk is rolled back and the restore fails), a row present with the same values is skipped, one
 * present with other values is counted and listed as a conflict and never touched (promise 8). The chunk's progress and
 * figures are recorded in the same commit, so a replayed request or a restart after a kill goes on after the last
 * committed chunk, and a restore that has ended changes nothing when replayed.
 */
@ApplicationScoped
public class Restorer {

    /** What became of a request. */
    public record Outcome(String outcome, RestoreRecord record) {
    }

    private final ArchivePolicies policies;
    private final ArchiveReader reader;
    private final RestoreLedger ledger;
    private final Pool pool;
    private final RestoreConfig config;
    private final SourcePools pools;

    public Restorer(ArchivePolicies policies, ObjectStore store, RestoreLedger ledger, Pool pool, SourcePools pools, RestoreConfig config) {
        this.policies = policies;
        this.pools = pools;
        this.reader = new ArchiveReader(store);
        this.ledger = ledger;
        this.pool = pool;
        this.config = config;
    }

    public Outcome restore(RestoreRequested request) {
        ArchivePolicies fresh = policies.fresh();
        ArchivePolicies.Policy policy = fresh.all().get(request.policy());
        RestoreRecord record = ledger.open(request, policy == null ? "?" : policy.table());
        if (record.state().ended()) {
            return new Outcome("ALREADY_" + record.state(), record);
        }
        List<Target> objects = new ArrayList<>();
        try {
            checkRequest(request, policy, fresh);
            objects = objectsInScope(request.scope(), policy);
            ledger.recordObjectsTotal(request.runId(), objects.size());
            try (RestoreSession session = new RestoreSession(pool, target(policy), config)) {
                verifyBeforeWriting(session, request.runId(), objects);
                boolean targetExists = session.tableExists(request.targetTable());
                if (!targetExists && !request.dryRun()) {
                    session.createLike(request.targetTable(), policy.table());
                    targetExists = true;
                }
                ColumnForms forms = session.forms(targetExists ? request.targetTable() : policy.table());
                for (Target object : objects) {
                    restoreObject(session, request, policy, forms, targetExists, object);
                }
            }
        } catch (RestoreRefused refused) {
            return new Outcome(refused.reason(), ledger.end(request.runId(), RestoreState.FAILED, refused.getMessage(), keys(objects), sha256s(objects)));
        }
        return new Outcome(record.dryRun() ? "DRY_RUN" : "RESTORED", ledger.end(request.runId(), RestoreState.COMPLETED, null, keys(objects),
                sha256s(objects)));
    }

    private void checkRequest(RestoreRequested request, ArchivePolicies.Policy policy, ArchivePolicies fresh) {
        if (policy == null) {
            throw new RestoreRefused("UNKNOWN_POLICY", "no policy '" + request.policy() + "' in the control database: name one of "
                    + fresh.all().keySet());
        }
        String target = request.targetTable();
        if (request.intoSource()) {
            if (!target.equals(policy.table())) {
                throw new RestoreRefused("TARGET_NOT_SOURCE", "intoSource names the policy's own table `" + policy.table() + "`, not `" + target
                        + "`: restore into `" + target + "` without intoSource");
            }
            if (fresh.enabled(request.policy())) {
                throw new RestoreRefused("POLICY_ENABLED", "restoring into `" + target + "` while policy '" + request.policy()
                        + "' is enabled would let its next run archive the rows again: disable it first (archivectl policy disable "
                        + request.policy() + "), enable it once the restored rows may be archived again");
            }
            if (ledger.runInFlight(request.policy())) {
                throw new RestoreRefused("RUN_IN_FLIGHT", "a run of policy '" + request.policy() + "' is planned or running: wait until it"
                        + " completes (archivectl status), then restore");
            }
            return;
        }
        for (Map.Entry<String, ArchivePolicies.Policy> other : fresh.all().entrySet()) {
            ArchivePolicies.Policy p = other.getValue();
            // the target is in the policy's database: a table another policy of that database archives is refused
            if (p.source().equals(policy.source()) && (target.equalsIgnoreCase(p.table()) || target.equalsIgnoreCase(p.archiveTable()))) {
                throw new RestoreRefused("TARGET_ARCHIVED", "`" + target + "` is " + (target.equalsIgnoreCase(p.table()) ? "the table" : "the archive table")
                        + " of policy '" + other.getKey() + "': restore into a table no policy names (--into NEW_TABLE), or into the policy's"
                        + " own table with --into-source");
            }
        }
    }

    /** A verified object in scope, with the rows of it the scope asks for. */
    private record Target(ArchiveManifest manifest, ArchiveManifest.ObjectEntry entry, Predicate<List<String>> inScope) {
    }

    /**
     * The pool of the policy's database, where the target table is: the control database's own, or its source's, with the
     * source's progress tables ensured there ({@link SourceProgress#ensure}: a source archived before they existed gets them).
     */
    private Pool target(ArchivePolicies.Policy policy) {
        if (SourceSpec.CONTROL.equals(policy.source())) {
            return pool;
        }
        Pool source;
        try {
            source = pools.pool(policy.source()).await().atMost(config.dbTimeout());
        } catch (PolicyViolation e) {
            throw new RestoreRefused(e.reason(), e.getMessage()); // a source not defined or disabled: nothing is written
        }
        SourceProgress.ensure(source, config.dbTimeout());
        return source;
    }

    private List<Target> objectsInScope(RestoreScope scope, ArchivePolicies.Policy policy) {
        ArchiveQuery query = scope.keyFrom() != null ? ArchiveQuery.keyRange(scope.keyFrom(), scope.keyTo())
                : scope.dateFrom() != null ? ArchiveQuery.dates(scope.dateFrom(), scope.dateTo()) : null;
        List<Target> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<ArchiveManifest> manifests;
        try {
            manifests = reader.objectManifests(policy.keyPrefix());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (ArchiveManifest manifest : manifests) {
            if (!manifest.table().equals(policy.table())) {
                continue;
            }
            for (ArchiveManifest.ObjectEntry entry : manifest.objects()) {
                boolean wanted = scope.run() != null ? scope.run().equals(manifest.runId())
                        : scope.objectKey() != null ? scope.objectKey().equals(entry.key()) : query.canHold(manifest, entry);
                if (wanted && seen.add(entry.key())) {
                    found.add(new Target(manifest, entry, query == null ? row -> true : row -> query.matches(manifest, row)));
                }
            }
        }
        if (found.isEmpty() && (scope.run() != null || scope.objectKey() != null)) {
            throw new RestoreRefused("NOTHING_IN_SCOPE", "no object manifest under s3://.../" + policy.keyPrefix() + " for " + scope.describe()
                    + ": check the run id or object key (archivectl archive find)");
        }
        found.sort(Comparator.comparing(t -> t.entry().key()));
        return found;
    }

    /** Reads every object not yet restored whole and holds it to its manifest; any difference refuses the restore before a row is written. */
    private void verifyBeforeWriting(RestoreSession session, String restoreId, List<Target> objects) {
        for (Target object : objects) {
            if (session.objectProgress(restoreId, object.entry().key(), object.entry().sha256())[0] == 1) {
                continue;
            }
            ArchiveReader.ObjectCheck check = reader.read(object.manifest(), object.entry(), null);
            if (!check.intact()) {
                throw new RestoreRefused("OBJECT_MISMATCH", object.entry().key() + " does not match its manifest (" + String.join("; ", check.mismatches())
                        + "): nothing was restored");
            }
        }
    }

    private void restoreObject(RestoreSession session, RestoreRequested request, ArchivePolicies.Policy policy, ColumnForms forms,
            boolean targetExists, Target object) {
        String key = object.entry().key();
        long[] progress = session.objectProgress(request.runId(), key, object.entry().sha256());
        if (progress[0] == 1) {
            return;
        }
        Layout layout = Layout.of(object.manifest(), forms, policy.key(), key);
        long start = progress[1];
        List<List<String>> chunk = new ArrayList<>(config.chunkRows());
        long[] record = { 0 };
        ArchiveReader.ObjectCheck check = reader.read(object.manifest(), object.entry(), values -> {
            record[0]++;
            if (record[0] <= start) {
                return; // handled by a committed chunk before a replay or a restart
            }
            chunk.add(values);
            if (chunk.size() == config.chunkRows()) {
                writeChunk(session, request, forms, targetExists, object, layout, chunk, record[0], false);
                chunk.clear();
            }
        });
        if (!check.intact()) {
            // verified a moment ago, and keys are never overwritten: only a damaged read gets here; what is committed was verified
            throw new RestoreRefused("OBJECT_MISMATCH", key + " did not read back as verified (" + String.join("; ", check.mismatches()) + ")");
        }
        writeChunk(session, request, forms, targetExists, object, layout, chunk, Math.max(record[0], start), true);
    }

    private void writeChunk(RestoreSession session, RestoreRequested request, ColumnForms forms, boolean targetExists, Target object,
            Layout layout, List<List<String>> archived, long through, boolean last) {
        String target = request.targetTable();
        try (RestoreSession.Chunk tx = session.begin(request.runId(), object.entry().key())) {
            long done = tx.lockProgress();
            if (done < 0) {
                throw new RestoreRefused("RESTORE_ENDED", "the restore ended while it ran");
            }
            if (done >= through && !last) {
                return; // a delivery before this one committed the chunk
            }
            if (done != through - archived.size()) {
                throw new IllegalStateException("restore " + request.runId() + " object " + object.entry().key() + " has " + done
                        + " records done, this chunk starts after " + (through - archived.size()) + ": another delivery is writing it");
            }
            List<List<String>> rows = new ArrayList<>();
            List<List<String>> keys = new ArrayList<>();
            for (List<String> values : archived) {
                if (object.inScope().test(values)) {
                    List<String> row = layout.inTableOrder(values);
                    rows.add(row);
                    keys.add(layout.key().of(row));
                }
            }
            Map<List<String>, List<String>> present = targetExists ? tx.lockRows(target, forms, layout.key(), keys) : Map.of();
            List<List<String>> absent = new ArrayList<>();
            List<String> conflicts = new ArrayList<>();
            int skipped = 0;
            for (List<String> row : rows) {
                List<String> there = present.get(layout.key().of(row));
                if (there == null) {
                    absent.add(row);
                } else if (there.equals(row)) {
                    skipped++;
                } else {
                    conflicts.add(layout.key().text(layout.key().of(row)));
                }
            }
            if (!request.dryRun()) {
                tx.insert(target, forms, layout.writtenIndexes(), absent);
                checkWrittenExactly(tx, target, forms, layout, absent);
            }
            tx.recordConflicts(conflicts);
            tx.recordProgress(through, new ChunkResult(absent.size(), skipped, conflicts), last);
            tx.commit();
        }
    }

    /** Reads the inserted rows back in the archive's forms: a value the server bent (a lax sql_mode) refuses the chunk. */
    private static void checkWrittenExactly(RestoreSession.Chunk tx, String target, ColumnForms forms, Layout layout, List<List<String>> written) {
        if (written.isEmpty()) {
            return;
        }
        List<List<String>> keys = written.stream().map(layout.key()::of).toList();
        Map<List<String>, List<String>> back = tx.lockRows(target, forms, layout.key(), keys);
        for (List<String> row : written) {
            List<String> read = back.get(layout.key().of(row));
            if (!row.equals(read)) {
                throw new RestoreRefused("VALUE_NOT_EXACT", "row " + layout.key().columns() + "=" + layout.key().text(layout.key().of(row)) + " of " + layout.objectKey()
                        + " reads back from `" + target + "` as " + read + ", not the archived " + row
                        + ": the chunk was rolled back (is `" + target + "` defined like the source table?)");
            }
        }
    }

    /** How an object's columns map onto the target's: archive values in the table's column order, and where the key is. */
    private record Layout(int[] fromArchive, RowKey key, List<Integer> writtenIndexes, String objectKey) {

        static Layout of(ArchiveManifest manifest, ColumnForms forms, List<String> keyColumns, String objectKey) {
            List<String> archived = manifest.columns().stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            List<ColumnForms.Column> columns = forms.columns();
            List<String> table = columns.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            if (!new HashSet<>(archived).equals(new HashSet<>(table)) || archived.size() != table.size()) {
                throw new RestoreRefused("COLUMNS_DIFFER", "the target's columns " + table + " are not the archived columns " + archived + " of "
                        + objectKey + ": restore into a table defined like the source (a new --into table is created so)");
            }
            int[] from = table.stream().mapToInt(archived::indexOf).toArray();
            RowKey key = RowKey.of(keyColumns, columns);
            List<Integer> written = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                if (!columns.get(i).generated()) {
                    written.add(i);
                }
            }
            return new Layout(from, key, written, objectKey);
        }

        List<String> inTableOrder(List<String> values) {
            List<String> row = new ArrayList<>(fromArchive.length);
            for (int i : fromArchive) {
                row.add(values.get(i));
            }
            return row;
        }
    }

    private static List<String> keys(List<Target> objects) {
        return objects.stream().map(t -> t.entry().key()).toList();
    }

    private static List<String> sha256s(List<Target> objects) {
        return objects.stream().map(t -> t.entry().sha256()).toList();
    }
}
