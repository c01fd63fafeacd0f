package io.archiver.objectstore;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.archiver.manifest.ArchiveManifest;
import io.archiver.manifest.ManifestValues;
import io.archiver.rows.CanonicalValue;

/**
 * Which archived rows a find asks for: a key, a key range ({@code keyFrom..keyTo}, inclusive) or a date range
 * ({@code dateFrom} inclusive to {@code dateTo} exclusive; either end may be open). {@link #canHold} decides from the
 * manifest alone whether an object can hold such a row, so a find opens only those objects; {@link #matches} picks the
 * rows. Dates are compared in the date column's own form ({@code dateKind}: epoch milliseconds or seconds, or the
 * archive's UTC date-time text).
 */
public record ArchiveQuery(String keyFrom, String keyTo, Instant dateFrom, Instant dateTo) {

    public static ArchiveQuery key(String key) {
        return new ArchiveQuery(key, key, null, null);
    }

    public static ArchiveQuery keyRange(String from, String to) {
        return new ArchiveQuery(from, to, null, null);
    }

    public static ArchiveQuery dates(Instant from, Instant to) {
        if (from == null && to == null) {
            throw new IllegalArgumentException("a date range needs --from, --to or both");
        }
        return new ArchiveQuery(null, null, from, to);
    }

    private boolean byKey() {
        return keyFrom != null;
    }

    /** Whether {@code entry}'s ranges, as its manifest gives them, can hold a row asked for. */
    public boolean canHold(ArchiveManifest manifest, ArchiveManifest.ObjectEntry entry) {
        if (byKey()) {
            return ManifestValues.compare(entry.lastKey(), keyFrom) >= 0 && ManifestValues.compare(entry.firstKey(), keyTo) <= 0;
        }
        if (entry.minDate() == null) {
            return false; // no row
        }
        String from = dateFrom == null ? null : dateText(manifest.dateKind(), dateFrom);
        String to = dateTo == null ? null : dateText(manifest.dateKind(), dateTo);
        return (from == null || ManifestValues.compare(entry.maxDate(), from) >= 0)
                && (to == null || ManifestValues.compare(entry.minDate(), to) < 0);
    }

    /** Whether {@code row} (an object's row, in the manifest's column order) is one asked for. */
    public boolean matches(ArchiveManifest manifest, List<String> row) {
        if (byKey()) {
            String key = row.get(index(manifest, manifest.keyColumn()));
            return key != null && ManifestValues.compare(key, keyFrom) >= 0 && ManifestValues.compare(key, keyTo) <= 0;
        }
        String date = row.get(index(manifest, manifest.dateColumn()));
        if (date == null) {
            return false;
        }
        return (dateFrom == null || ManifestValues.compare(date, dateText(manifest.dateKind(), dateFrom)) >= 0)
                && (dateTo == null || ManifestValues.compare(date, dateText(manifest.dateKind(), dateTo)) < 0);
    }

    private static int index(ArchiveManifest manifest, String column) {
        List<ArchiveManifest.Column> columns = manifest.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("the manifest names no column " + column);
    }

    /** An instant in the form the date column's values have in the archive. */
    static String dateText(String dateKind, Instant instant) {
        return switch (dateKind) {
            case "EPOCH_MILLIS" -> Long.toString(instant.toEpochMilli());
            case "EPOCH_SECONDS" -> Long.toString(instant.getEpochSecond());
            case "DATE" -> LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toLocalDate().toString();
            default -> CanonicalValue.DATE_TIME.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
        };
    }
}
