package io.archiver.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A table's whole primary key, its columns in key order with their {@link KeyKind}s: what a batch's range is a range of.
 * The {@code run} table's key is one {@link KeyKind#SIGNED_INTEGER} column ({@link #isSingleInteger()}), whose ranges travel
 * as {@link BatchScope#firstId()}..{@link BatchScope#lastId()} and name objects as they always have; every other key's
 * ranges travel as {@link KeyValue}s.
 */
public record KeyColumns(List<Column> columns) {

    /** One key column: its name as the table has it and its kind. */
    public record Column(String name, KeyKind kind) {
        public Column {
            Require.identifier(name, "key column");
            Require.present(kind, "key column " + name + " kind");
        }
    }

    /** Above this many characters an object name gives a range's hash instead of its two bounds (a file name has 255 bytes). */
    static final int MAX_RANGE_TEXT = 120;

    public KeyColumns {
        Require.present(columns, "key columns");
        if (columns.isEmpty()) {
            throw Require.invalid("key columns", "must name at least one column of the primary key");
        }
        columns = List.copyOf(columns);
    }

    public static KeyColumns of(Column... columns) {
        return new KeyColumns(List.of(columns));
    }

    public int size() {
        return columns.size();
    }

    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /** True for one signed integer column: the key whose batches are {@code firstId..lastId} as before composite keys. */
    public boolean isSingleInteger() {
        return columns.size() == 1 && columns.get(0).kind() == KeyKind.SIGNED_INTEGER;
    }

    /**
     * {@code key} when it is a value of this key: one canonical part per column; else an error naming {@code field}, the part
     * and its column.
     */
    public KeyValue check(KeyValue key, String field) {
        Require.present(key, field);
        if (key.size() != columns.size()) {
            throw Require.invalid(field, "has " + key.size() + " parts but the key " + names() + " has " + columns.size() + " columns");
        }
        for (int i = 0; i < columns.size(); i++) {
            columns.get(i).kind().canonical(key.part(i), field + "[" + i + "] (" + columns.get(i).name() + ")");
        }
        return key;
    }

    /** The values bound for the key's columns, in key order ({@link KeyKind#bind}). */
    public List<Object> bind(KeyValue key) {
        check(key, "key");
        List<Object> values = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            values.add(columns.get(i).kind().bind(key.part(i)));
        }
        return values;
    }

    /**
     * A range as an object's name gives it: the two bounds joined by {@code -}, each the key's parts joined by {@code .}, each
     * part readable and safe in a file name and an S3 key: integers in decimal ({@code m} before a negative one), DATE as
     * {@code yyyyMMdd}, DATETIME as {@code yyyyMMddTHHmmss} and its fraction digits, text with ASCII letters and digits as they are
     * and every other UTF-8 byte as {@code _} and two hex digits ({@code _} alone: the empty string). The same range always gives
     * the same text and two ranges never the same; a range longer than {@value #MAX_RANGE_TEXT} characters is given as {@code h}
     * and the first 40 hex digits of the SHA-256 of its two bounds' {@link KeyValue#text()} (the manifest names its bounds).
     */
    public String objectKeyRange(KeyValue first, KeyValue last) {
        check(first, "first key");
        check(last, "last key");
        String range = objectKeyPart(first) + "-" + objectKeyPart(last);
        if (range.length() <= MAX_RANGE_TEXT) {
            return range;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((first.text() + "\n" + last.text()).getBytes(StandardCharsets.UTF_8));
            return "h" + HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private String objectKeyPart(KeyValue key) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                text.append('.');
            }
            String part = key.part(i);
            switch (columns.get(i).kind()) {
                case SIGNED_INTEGER, UNSIGNED_INTEGER -> text.append(part.startsWith("-") ? "m" + part.substring(1) : part);
                case DATE -> text.append(part.replace("-", ""));
                case DATETIME -> text.append(part.replace("-", "").replace(":", "").replace(' ', 'T').replace(".", ""));
                case TEXT -> text(text, part);
            }
        }
        return text.toString();
    }

    private static void text(StringBuilder out, String part) {
        if (part.isEmpty()) {
            out.append('_');
            return;
        }
        for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                out.append(c);
            } else {
                out.append('_').append(Character.forDigit((c >> 4) & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
    }
}
