package io.archiver.objectstore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.archiver.manifest.ArchiveManifest;

/**
 * An archive find, as archivectl's {@code archive find} and the API's {@code /archive/find} do it: the manifests under a
 * policy's prefix say which objects can hold a row asked for ({@link ArchiveQuery#canHold}); only those are opened, each read
 * whole through its SHA-256, and its matching rows are handed on only when the object is intact. An object that differs from
 * its manifest is reported in {@link Result#refused()} and none of its rows is handed on.
 */
public final class ArchiveFinder {

    /** Receives the matching rows of one intact object: its key, the manifest's column names, the rows in object order. */
    public interface Found {
        void rows(String objectKey, List<String> columns, List<List<String>> rows) throws IOException;
    }

    /** What the find did: objects of the policy, opened, skipped by their ranges, rows found, and the refused objects with why. */
    public record Result(int objects, int opened, int skipped, long found, List<String> refused) {
    }

    private final ArchiveReader reader;

    public ArchiveFinder(ArchiveReader reader) {
        this.reader = reader;
    }

    public Result find(String policy, String prefix, ArchiveQuery query, Found found) throws IOException {
        List<ArchiveManifest> manifests = reader.objectManifests(prefix).stream().filter(m -> m.policy().equals(policy)).toList();
        int opened = 0;
        int skipped = 0;
        long rowsFound = 0;
        List<String> refused = new ArrayList<>();
        for (ArchiveManifest manifest : manifests) {
            ArchiveManifest.ObjectEntry entry = manifest.objects().get(0);
            if (!query.canHold(manifest, entry)) {
                skipped++;
                continue;
            }
            opened++;
            // rows are kept until the object's SHA-256 is known: none of a damaged object is handed on
            List<List<String>> rows = new ArrayList<>();
            ArchiveReader.ObjectCheck check = reader.read(manifest, entry, row -> {
                if (query.matches(manifest, row)) {
                    rows.add(row);
                }
            });
            if (!check.intact()) {
                refused.add(entry.key() + ": " + String.join("; ", check.mismatches()));
                continue;
            }
            if (!rows.isEmpty()) {
                found.rows(entry.key(), manifest.columns().stream().map(ArchiveManifest.Column::name).toList(), rows);
            }
            rowsFound += rows.size();
        }
        return new Result(manifests.size(), opened, skipped, rowsFound, List.copyOf(refused));
    }
}
