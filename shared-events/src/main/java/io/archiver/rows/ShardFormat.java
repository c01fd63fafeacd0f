package io.archiver.rows;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * The CSV of an archive shard: RFC 4180 (comma, double quotes, CRLF), a header row with the column
 * names, every non-NULL value quoted and NULL written as an unquoted empty field, so that
 * {@code ,,} is NULL and {@code ,"",} the empty string. Values are {@link CanonicalValue}s.
 */
public final class ShardFormat {

    public static final CSVFormat CSV = CSVFormat.RFC4180.builder()
            .setQuoteMode(QuoteMode.ALL_NON_NULL)
            .setNullString(null)
            .setRecordSeparator("\r\n")
            .build();

    private ShardFormat() {
    }

    /** A shard parsed back: the header and every row's canonical values, NULL as {@code null}. */
    public record Parsed(List<String> header, List<List<String>> rows) {
    }

    /** Parses a whole shard; meant for checks and restores of one shard, not for streaming. */
    public static Parsed parse(Reader reader) throws IOException {
        try (CSVParser parser = CSV.parse(reader)) {
            List<String> header = null;
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                List<String> values = new ArrayList<>(record.size());
                record.forEach(values::add);
                if (header == null) {
                    header = List.copyOf(values);
                } else {
                    if (values.size() != header.size()) {
                        throw new IOException("record " + record.getRecordNumber() + " has " + values.size()
                                + " values, the header " + header.size());
                    }
                    rows.add(values);
                }
            }
            if (header == null) {
                throw new IOException("empty shard: no header row");
            }
            return new Parsed(header, rows);
        }
    }
}
