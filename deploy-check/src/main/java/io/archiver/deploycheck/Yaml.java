package io.archiver.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Multi-document YAML in and out, as Jackson trees. Duplicate keys are an error, as they are for kubectl. */
public final class Yaml {

    public static final ObjectMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    private Yaml() {
    }

    /** The documents of {@code file}; empty documents (comments only) are skipped, anything but a mapping is an error. */
    public static List<ObjectNode> readAll(Path file) {
        try {
            return readAll(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static List<ObjectNode> readAll(String text, String source) {
        List<ObjectNode> docs = new ArrayList<>();
        // A parser, not readValues(): readValues() would unwrap a top-level list into several documents.
        try (JsonParser parser = MAPPER.createParser(text)) {
            int index = 0;
            while (parser.nextToken() != null) {
                JsonNode doc = MAPPER.readTree(parser);
                index++;
                // An empty document (comments only) reads as null or, with Jackson's YAML parser, as "".
                if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isTextual() && doc.asText().isEmpty())) {
                    continue;
                }
                if (!doc.isObject()) {
                    throw new IllegalArgumentException(source + ": document " + index + " is a " + doc.getNodeType()
                            + ", not a mapping");
                }
                docs.add((ObjectNode) doc);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    /** The documents as one multi-document YAML text. */
    public static String writeAll(List<? extends JsonNode> docs) {
        StringBuilder out = new StringBuilder();
        for (JsonNode doc : docs) {
            if (out.length() > 0) {
                out.append("---\n");
            }
            try {
                out.append(MAPPER.writeValueAsString(doc));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }
}
