package io.archiver.manifest;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * The order of the key and date values a manifest names as text: numerically where both are numbers (an id, epoch
 * milliseconds: {@code 9 < 10}), else as text, which is the order of the archive's date forms ({@code yyyy-MM-dd HH:mm:ss},
 * four-digit years). The exporter takes a date column's min and max in this order, and a reader asks the same order
 * whether an object's range can hold a key or a date.
 */
public final class ManifestValues {

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    public static final Comparator<String> ORDER = ManifestValues::compare;

    private ManifestValues() {
    }

    public static int compare(String a, String b) {
        if (NUMBER.matcher(a).matches() && NUMBER.matcher(b).matches()) {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        }
        return a.compareTo(b);
    }

    /** Whether {@code from..to} (inclusive; a null end is open) meets {@code min..max} (inclusive; null: the object has no value). */
    public static boolean overlaps(String min, String max, String from, String to) {
        if (min == null || max == null) {
            return false;
        }
        return (from == null || compare(max, from) >= 0) && (to == null || compare(min, to) <= 0);
    }
}
