package io.archiver.manifest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a reader needs to read archive objects with the bucket alone (no database, ledger or Kafka): the table's columns
 * with their SQL types, which column is the key and which the date, how values are written ({@link Encoding}), and per
 * object its key range, the min and max of its date column, rows, bytes, SHA-256 and codec.
 *
 * <p>One form for two objects in S3: beside each archive object {@code <object key>.manifest.json} describes that object
 * alone (the uploader puts it before it announces the object, so every announced object is self-describing even in a run
 * that never closes); beside a run's objects {@code <table>_archive_<yyyyMMdd>_<policy>_<runId>.manifest.json} describes
 * them all ({@link #merge}). Key values are strings (a composite key's values may later be a JSON array in that string),
 * so the format does not change when keys do. {@code docs/archive.md} describes every field.
 */
public record ArchiveManifest(
        int formatVersion,
        String policy,
        String table,
        String runId,
        String keyColumn,
        String dateColumn,
        String dateKind,
        List<Column> columns,
        Encoding encoding,
        List<ObjectEntry> objects) {

    /** The version of this form; a reader refuses a manifest of a version it does not know. */
    public static final int FORMAT_VERSION = 1;

    public ArchiveManifest {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("manifest format " + formatVersion + " is not the one this reader knows (" + FORMAT_VERSION + ")");
        }
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(keyColumn, "keyColumn");
        Objects.requireNonNull(dateColumn, "dateColumn");
        Objects.requireNonNull(dateKind, "dateKind");
        columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
        Objects.requireNonNull(encoding, "encoding");
        objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
    }

    /** One column, in the table's order (the CSV header's): its name, information_schema's DATA_TYPE and COLUMN_TYPE. */
    public record Column(String name, String dataType, String sqlType) {
        public Column {
            Objects.requireNonNull(name, "column name");
            Objects.requireNonNull(dataType, "column dataType");
            Objects.requireNonNull(sqlType, "column sqlType");
        }
    }

    /**
     * How the CSV carries values, in words a reader of the JSON alone can follow (the full table per type is
     * docs/csv-format.md): the format, NULL, binary and JSON rules.
     */
    public record Encoding(String format, String nullValue, String binary, String json, String reference) {

        public static final Encoding CURRENT = new Encoding(
                "RFC 4180 CSV, UTF-8, CRLF, a header record with the column names; every non-NULL value quoted, quotes doubled",
                "an unquoted empty field is NULL; a quoted empty field (\"\") is the empty string",
                "binary, blob and spatial columns: standard Base64 with padding of the stored bytes (FROM_BASE64 reads them back)",
                "JSON columns: the text the server prints, never re-encoded, so \"1\", 1, 1.0 and null stay apart",
                "docs/csv-format.md of Archiver: the exact text form of every column type");
    }

    /**
     * One archive object: its key in the bucket, the key range it was planned for ({@code firstKey..lastKey}, inclusive:
     * no row outside it can be in the object), the min and max of its date column (null when it holds no row), its rows,
     * its bytes and SHA-256 as stored, the SHA-256 of its rows' canonical form, and its codec ({@code csv} or
     * {@code csv+gzip}).
     */
    public record ObjectEntry(String key, String firstKey, String lastKey, String minDate, String maxDate, long rows, long bytes,
            String sha256, String rowsDigest, String codec) {
        public ObjectEntry {
            Objects.requireNonNull(key, "object key");
            Objects.requireNonNull(firstKey, "firstKey");
            Objects.requireNonNull(lastKey, "lastKey");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(codec, "codec");
            if (!codec.equals(CSV) && !codec.equals(CSV_GZIP)) {
                throw new IllegalArgumentException("codec " + codec + " is neither " + CSV + " nor " + CSV_GZIP);
            }
        }

        public boolean gzipped() {
            return codec.equals(CSV_GZIP);
        }
    }

    public static final String CSV = "csv";
    public static final String CSV_GZIP = "csv+gzip";

    /** This manifest with {@code objects} in place of its own. */
    public ArchiveManifest withObjects(List<ObjectEntry> entries) {
        return new ArchiveManifest(formatVersion, policy, table, runId, keyColumn, dateColumn, dateKind, columns, encoding, entries);
    }

    /**
     * The run manifest of one run's object manifests: their common description and every object, sorted by key (so the
     * same objects always give the same bytes). Refuses manifests of other runs or other columns: one run, one table shape.
     */
    public static ArchiveManifest merge(List<ArchiveManifest> perObject) {
        if (perObject.isEmpty()) {
            throw new IllegalArgumentException("no object manifests to merge");
        }
        ArchiveManifest first = perObject.get(0);
        List<ObjectEntry> all = new ArrayList<>();
        for (ArchiveManifest m : perObject) {
            if (!m.withObjects(List.of()).equals(first.withObjects(List.of()))) {
                throw new IllegalArgumentException("object manifests of " + first.runId() + " describe other tables or runs: "
                        + m.runId() + " " + m.table() + " " + m.columns());
            }
            all.addAll(m.objects());
        }
        all.sort(Comparator.comparing(ObjectEntry::key));
        return first.withObjects(all);
    }
}
