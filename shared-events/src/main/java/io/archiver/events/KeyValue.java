package io.archiver.events;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One value of a table's whole primary key, a canonical text per key column in key order ({@link KeyKind}): in an event a
 * JSON array of strings ({@code ["42","7","2025-06-15"]}), in the ledger the same array as text ({@link #text()}), in an
 * object's name {@link KeyColumns#objectKeyRange}. Texts, never numbers: a BIGINT UNSIGNED above 2^63 stays exact, and
 * strings are compared by the column's collation in SQL, never here.
 */
public record KeyValue(List<String> parts) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public KeyValue {
        Require.present(parts, "key");
        if (parts.isEmpty()) {
            throw Require.invalid("key", "must have a value for each key column, not none");
        }
        for (int i = 0; i < parts.size(); i++) {
            Require.present(parts.get(i), "key[" + i + "]");
        }
        parts = List.copyOf(parts);
    }

    /** The JSON form of a key in an event: the array of its parts. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static KeyValue json(List<String> parts) {
        return new KeyValue(parts);
    }

    @JsonValue
    @Override
    public List<String> parts() {
        return parts;
    }

    public static KeyValue of(String... parts) {
        return new KeyValue(List.of(parts));
    }

    /** A one-column integer key (the {@code run} table's {@code id}). */
    public static KeyValue of(long id) {
        return of(Long.toString(id));
    }

    public int size() {
        return parts.size();
    }

    public String part(int index) {
        return parts.get(index);
    }

    /** The key as JSON text, the same for the same key (no spaces, every character outside printable ASCII escaped). */
    public String text() {
        StringBuilder json = new StringBuilder("[");
        for (String part : parts) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"');
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (c == '"' || c == '\\') {
                    json.append('\\').append(c);
                } else if (c < 0x20 || c > 0x7e) {
                    json.append(String.format("\\u%04x", (int) c));
                } else {
                    json.append(c);
                }
            }
            json.append('"');
        }
        return json.append(']').toString();
    }

    /** The key {@link #text()} wrote; {@code field} names it in the error when the text is not a JSON array of strings. */
    public static KeyValue parse(String text, String field) {
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (IOException e) {
            throw Require.invalid(field, "is not a key's JSON text (an array of strings such as [\"42\",\"2025-06-15\"]): " + text);
        }
        if (tree == null || !tree.isArray()) {
            throw Require.invalid(field, "is not a key's JSON text (an array of strings such as [\"42\",\"2025-06-15\"]): " + text);
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode part : tree) {
            if (!part.isTextual()) {
                throw Require.invalid(field, "has a part that is not a string (" + part + "); every key part is text: " + text);
            }
            parts.add(part.textValue());
        }
        return new KeyValue(parts);
    }

    @Override
    public String toString() {
        return text();
    }
}
