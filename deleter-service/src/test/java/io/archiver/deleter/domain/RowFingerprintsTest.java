package io.archiver.deleter.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.archiver.events.RowException;

class RowFingerprintsTest {

    private static List<String> row(long id, String... values) {
        String[] all = new String[values.length + 1];
        all[0] = Long.toString(id);
        System.arraycopy(values, 0, all, 1, values.length);
        return Arrays.asList(all);
    }

    private static RowFingerprints of(List<List<String>> rows) {
        RowFingerprints fingerprints = new RowFingerprints(2); // grows past its first capacity
        rows.forEach(r -> fingerprints.add(Long.parseLong(r.get(0)), r));
        return fingerprints;
    }

    private static final List<List<String>> ARCHIVE = List.of(row(3, "a", null), row(7, "", "x"), row(8, "b\nc", "🚀"), row(20, null, ""));

    @Test
    void aRangeOfTheTableEqualToTheArchiveMatchesWhereverItStarts() {
        RowFingerprints archive = of(ARCHIVE);
        assertThat(archive.compare(0, 4, of(ARCHIVE)).matchingIds()).containsExactly(3, 7, 8, 20);
        assertThat(archive.compare(0, 4, of(ARCHIVE)).exceptions()).isEmpty();
        assertThat(archive.compare(1, 3, of(ARCHIVE.subList(1, 3))).matchingIds()).containsExactly(7, 8);
        assertThat(archive.compare(4, 4, of(List.of())).matchingIds()).as("an empty tail").isEmpty();
    }

    @Test
    void nullAndTheEmptyStringDiffer() {
        RowFingerprints archive = of(List.of(row(1, (String) null)));
        ChunkComparison compared = archive.compare(0, 1, of(List.of(row(1, ""))));
        assertThat(compared.matchingIds()).isEmpty();
        assertThat(compared.exceptions()).containsExactly(new RowException(1, RowException.Reason.CHANGED));
    }

    @Test
    void eachKeyIsJudgedAlone_aChangedValueAMissingRowAndAnExtraRowEachCountOnlyThemselves() {
        RowFingerprints archive = of(ARCHIVE);
        // 7 changed, 5 inserted, 20 gone: 3 and 8 still match
        RowFingerprints table = of(List.of(row(3, "a", null), row(5, "new", null), row(7, "", "y"), row(8, "b\nc", "🚀")));
        ChunkComparison compared = archive.compare(0, 4, table);
        assertThat(compared.matchingIds()).containsExactly(3, 8);
        assertThat(compared.exceptions()).containsExactly(new RowException(5, RowException.Reason.NOT_IN_OBJECT),
                new RowException(7, RowException.Reason.CHANGED), new RowException(20, RowException.Reason.MISSING));
        assertThat(compared.counts()).isEqualTo(new io.archiver.events.RowCounts(2, 1, 1, 1, 0));
        assertThat(compared.counts().found()).as("each row of either side once").isEqualTo(5);
        // the same values under another id: the archived row is missing, the table's is not in the object
        RowFingerprints moved = new RowFingerprints();
        moved.add(4, row(3, "a", null)); // the values of row 3, under id 4
        assertThat(archive.compare(0, 1, moved).exceptions()).containsExactly(new RowException(3, RowException.Reason.MISSING),
                new RowException(4, RowException.Reason.NOT_IN_OBJECT));
        assertThat(archive.compare(0, 4, of(List.of())).exceptions()).hasSize(4).allMatch(e -> e.reason() == RowException.Reason.MISSING);
    }

    @Test
    void firstAfterFindsTheNextRowByIdAsAChunkStart() {
        RowFingerprints archive = of(ARCHIVE);
        assertThat(archive.firstAfter(0)).isZero();
        assertThat(archive.firstAfter(3)).isEqualTo(1);
        assertThat(archive.firstAfter(5)).isEqualTo(1);
        assertThat(archive.firstAfter(8)).isEqualTo(3);
        assertThat(archive.firstAfter(20)).isEqualTo(4);
        assertThat(archive.id(3)).isEqualTo(20);
    }

    @Test
    void theArchivedObjectsRowsReadAsBytesMatchTheTablesRowsReadAsValues() throws Exception {
        // the object's side: printed by Commons CSV, read back by the deleter's byte-level reader
        java.io.StringWriter csv = new java.io.StringWriter();
        try (var printer = new org.apache.commons.csv.CSVPrinter(csv, io.archiver.rows.ShardFormat.CSV)) {
            printer.printRecord(List.of("id", "a", "b"));
            for (List<String> r : ARCHIVE) {
                printer.printRecord(r);
            }
        }
        RowFingerprints object = new RowFingerprints(2);
        io.archiver.rows.ShardCsvReader.read(new java.io.ByteArrayInputStream(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new io.archiver.rows.ShardCsvReader.Rows() {
                    @Override
                    public void header(List<String> names) {
                    }

                    @Override
                    public void row(long recordNumber, io.archiver.rows.CanonicalEncoding row) {
                        object.add(row.longValue(0), row);
                    }
                });
        assertThat(object.size()).isEqualTo(4);
        assertThat(object.compare(0, 4, of(ARCHIVE)).exceptions()).isEmpty();
        assertThat(object.compare(0, 4, of(List.of(row(3, "a", null), row(7, "", "x"), row(8, "b\nc", "🚀"), row(20, "", ""))))
                .exceptions()).containsExactly(new RowException(20, RowException.Reason.CHANGED));
    }

    @Test
    void rowsOutOfIdOrderOrTwiceAreRefused() {
        RowFingerprints fingerprints = of(List.of(row(5, "a")));
        assertThatThrownBy(() -> fingerprints.add(5, row(5, "a"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not follow 5");
        assertThatThrownBy(() -> fingerprints.add(4, row(4, "a"))).isInstanceOf(IllegalArgumentException.class);
    }
}
