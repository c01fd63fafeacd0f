package io.archiver.deleter.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import io.archiver.objectstore.ObjectStore;
import io.archiver.objectstore.StoredObject;
import io.archiver.rows.RowsDigest;
import io.archiver.rows.ShardFormat;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Reads an archive object back from S3 and parses it as it streams: its size and SHA-256 as S3
 * returns them, and the count and digest of the rows it really holds. The deleter compares these,
 * not what an event claims, with the rows it is about to delete.
 */
@ApplicationScoped
public class ArchivedShard {

    /** What the object holds. */
    public record Contents(StoredObject object, List<String> header, long rows, String rowsDigest) {
    }

    private final ObjectStore store;

    public ArchivedShard(ObjectStore store) {
        this.store = store;
    }

    /** The object's contents, or null when the key does not exist. */
    public Contents read(String key) {
        boolean gzip = key.endsWith(".gz");
        List<String> header = new ArrayList<>();
        RowsDigest digest = new RowsDigest();
        StoredObject object;
        try {
            object = store.read(key, in -> parse(gzip ? new GZIPInputStream(in, 64 * 1024) : in, header, digest));
        } catch (NoSuchKeyException e) {
            return null;
        }
        return new Contents(object, header, digest.rows(), digest.hex());
    }

    private static void parse(InputStream in, List<String> header, RowsDigest digest) throws IOException {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        try (CSVParser parser = CSVParser.parse(reader, ShardFormat.CSV)) {
            for (CSVRecord record : parser) {
                List<String> values = new ArrayList<>(record.size());
                record.forEach(values::add);
                if (header.isEmpty()) {
                    header.addAll(values);
                } else {
                    if (values.size() != header.size()) {
                        throw new IOException("record " + record.getRecordNumber() + " has " + values.size() + " values, the header "
                                + header.size());
                    }
                    digest.add(values);
                }
            }
        }
    }
}
