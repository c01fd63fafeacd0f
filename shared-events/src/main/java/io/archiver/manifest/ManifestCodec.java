package io.archiver.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON of an {@link ArchiveManifest}: fields in the records' order, indented, so the same manifest is always the same
 * bytes (a manifest key, like an object key, is never overwritten with other bytes). Decoding ignores fields it does not
 * know (a later version may add some) and refuses a missing or mistyped one.
 */
public final class ManifestCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private ManifestCodec() {
    }

    public static byte[] encode(ArchiveManifest manifest) {
        try {
            return MAPPER.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IOException when the bytes are not a manifest of a known format */
    public static ArchiveManifest decode(byte[] json) throws IOException {
        try {
            return MAPPER.readValue(json, ArchiveManifest.class);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException("not an archive manifest: " + e.getMessage(), e);
        }
    }
}
