package io.archiver.deleter.storage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.archiver.events.RowException;
import io.archiver.objectstore.ObjectStore;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What an archive object says about itself when some of its rows were never removed (docs/live-tables.md): a small JSON
 * object beside it, {@code <object key>.exceptions.json}, listing the keys whose version in the object is not the archived
 * one (CHANGED: the table kept a newer version; MISSING: the row had left the table, or its date the cutoff, before the
 * deleter came). Written once: its bytes follow from the ledger's exceptions alone, and a key that exists with other bytes
 * is never overwritten (promise 6).
 */
@ApplicationScoped
public class ExceptionsSidecar {

    public static final String SUFFIX = ".exceptions.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectStore store;

    public ExceptionsSidecar(ObjectStore store) {
        this.store = store;
    }

    public static String keyOf(String objectKey) {
        return objectKey + SUFFIX;
    }

    /** The sidecar's bytes: the same exceptions (in key order) give the same bytes. */
    public static byte[] bytes(String runId, String batchId, String objectKey, String idColumn, List<RowException> notRemoved) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("objectKey", objectKey);
        body.put("runId", runId);
        body.put("batchId", batchId);
        body.put("idColumn", idColumn);
        body.put("meaning", "the rows of these keys in the object are not archived versions: they were never removed from the table"
                + " by this batch (CHANGED: the table kept other values; MISSING: the row was no longer in the table as an eligible row)");
        body.put("keys", notRemoved.stream().map(e -> {
            Map<String, Object> key = new LinkedHashMap<>();
            if (e.key() != null) {
                key.put("key", e.key().parts()); // a batch of whole keys: the key's parts, in key order
            } else {
                key.put("id", e.id());
            }
            key.put("reason", e.reason().name());
            return key;
        }).toList());
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JSON.writeValue(out, body);
            out.write('\n');
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes the sidecar under {@code key} unless it is there with these bytes; refuses to overwrite other bytes. */
    public void writeOnce(String key, byte[] bytes) {
        if (store.size(key).isPresent()) {
            byte[] existing = store.client().getObjectAsBytes(b -> b.bucket(store.bucket()).key(key)).asByteArray();
            if (!Arrays.equals(existing, bytes)) {
                throw new IllegalStateException("s3://" + store.bucket() + "/" + key + " exists with other bytes (" + existing.length
                        + " bytes, " + bytes.length + " expected): an object key is never overwritten (promise 6)");
            }
            return;
        }
        store.client().putObject(b -> b.bucket(store.bucket()).key(key).contentType("application/json")
                .checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.SHA256), RequestBody.fromBytes(bytes));
    }

    /** The sidecar's text as stored, or null when there is none. */
    public String read(String key) {
        if (store.size(key).isEmpty()) {
            return null;
        }
        return new String(store.client().getObjectAsBytes(b -> b.bucket(store.bucket()).key(key)).asByteArray(), StandardCharsets.UTF_8);
    }
}
