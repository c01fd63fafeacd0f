package io.archiver.exporter.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.archiver.events.BatchScope;
import io.archiver.events.ShardCompression;
import io.archiver.exporter.storage.StagedShard;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestCodec;
import io.archiver.rows.CanonicalEncoding;
import io.archiver.support.policy.ArchivePolicies;
import io.archiver.table.ColumnForms;

/**
 * What a shard holds, gathered while its rows are written: the min and max of the policy's date column and the table's
 * columns with their SQL types, made into the object's manifest ({@link ArchiveManifest} with one object) once the shard's
 * size and SHA-256 are known. The exporter is where these facts are at hand (it reads the rows and the table's
 * definition); the uploader puts the manifest beside the object.
 */
final class ObjectDescription {

    private final ArchivePolicies.Policy policy;
    private final String runId;
    private final BatchScope scope;
    private final String objectKey;
    private final ShardCompression compression;
    private List<String> header;
    private int dateIndex = -1;
    private final DateRange dates = new DateRange();
    private ColumnForms forms;

    ObjectDescription(ArchivePolicies.Policy policy, String runId, BatchScope scope, String objectKey, ShardCompression compression) {
        this.policy = policy;
        this.runId = runId;
        this.scope = scope;
        this.objectKey = objectKey;
        this.compression = compression;
    }

    void header(List<String> names) {
        header = List.copyOf(names);
        dateIndex = names.indexOf(policy.dateColumn());
    }

    void row(CanonicalEncoding row) {
        if (dateIndex >= 0) {
            dates.add(row, dateIndex);
        }
    }

    void forms(ColumnForms columnForms) {
        forms = columnForms;
    }

    /** The object's manifest as JSON, once the shard is written (its header given, also for a shard with no row). */
    Function<StagedShard, byte[]> manifest() {
        return shard -> ManifestCodec.encode(describe(shard, header));
    }

    private ArchiveManifest describe(StagedShard shard, List<String> names) {
        Map<String, ColumnForms.Column> byName = forms == null ? Map.of()
                : forms.columns().stream().collect(Collectors.toMap(ColumnForms.Column::name, c -> c, (a, b) -> a));
        List<ArchiveManifest.Column> columns = new ArrayList<>(names.size());
        for (String name : names) {
            ColumnForms.Column column = byName.get(name);
            // every header name is one of the table's columns; "unknown" only if the definition changed under the read
            columns.add(column == null ? new ArchiveManifest.Column(name, "unknown", "unknown")
                    : new ArchiveManifest.Column(name, column.dataType(), column.columnType()));
        }
        ArchiveManifest.ObjectEntry entry = new ArchiveManifest.ObjectEntry(objectKey,
                scope.byKeys() ? scope.first().text() : Long.toString(scope.firstId()), scope.byKeys() ? scope.last().text() : Long.toString(scope.lastId()), dates.min(), dates.max(), shard.rowCount(), shard.fileBytes(), shard.fileSha256(), shard.rowsDigest(),
                compression == ShardCompression.GZIP ? ArchiveManifest.CSV_GZIP : ArchiveManifest.CSV);
        return new ArchiveManifest(ArchiveManifest.FORMAT_VERSION, scope.policy(), scope.table(), runId, String.join(",", policy.key()),
                policy.dateColumn(), policy.dateKind().name(), columns, ArchiveManifest.Encoding.CURRENT, List.of(entry));
    }
}
