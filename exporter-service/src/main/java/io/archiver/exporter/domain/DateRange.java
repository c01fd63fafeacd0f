package io.archiver.exporter.domain;

import io.archiver.manifest.ManifestValues;
import io.archiver.rows.CanonicalEncoding;

/**
 * The min and max of one column over a shard's rows, in {@link ManifestValues}'s order, for the object's manifest. A date
 * column of epoch milliseconds (the common case) is compared as longs read from the row's bytes, with no String, regular
 * expression or BigDecimal per row; the first value that is not a decimal long in its canonical form (no leading zero, no
 * {@code -0}) moves it to {@link ManifestValues#compare} on text for the rest, with the same result as if it had been there
 * from the first row ({@code DateRangeTest}).
 */
final class DateRange {

    private boolean integers = true;
    private boolean any;
    private long minLong;
    private long maxLong;
    private String min;
    private String max;

    /** Takes the value at {@code index} of {@code row} into the range; NULL is left out. */
    void add(CanonicalEncoding row, int index) {
        if (row.isNull(index)) {
            return;
        }
        if (integers) {
            if (isCanonicalLong(row, index)) {
                long value = row.longValue(index);
                if (!any || value < minLong) {
                    minLong = value;
                }
                if (!any || value > maxLong) {
                    maxLong = value;
                }
                any = true;
                return;
            }
            integers = false;
            if (any) {
                min = Long.toString(minLong);
                max = Long.toString(maxLong);
            }
        }
        String value = row.string(index);
        if (min == null || ManifestValues.compare(value, min) < 0) {
            min = value;
        }
        if (max == null || ManifestValues.compare(value, max) > 0) {
            max = value;
        }
    }

    /** The least value, null when there was none. */
    String min() {
        return integers ? (any ? Long.toString(minLong) : null) : min;
    }

    /** The greatest value, null when there was none. */
    String max() {
        return integers ? (any ? Long.toString(maxLong) : null) : max;
    }

    /** {@code -?[1-9][0-9]*} or {@code 0}, within a long: the text {@code Long.toString} gives back for it. */
    private static boolean isCanonicalLong(CanonicalEncoding row, int index) {
        byte[] bytes = row.bytes();
        int p = row.valueStart(index);
        int end = p + row.valueLength(index);
        if (p < end && bytes[p] == '-') {
            p++;
        }
        int digits = end - p;
        if (digits < 1 || digits > 19 || (bytes[p] == '0' && (digits > 1 || p > row.valueStart(index)))) {
            return false;
        }
        for (int i = p; i < end; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return false;
            }
        }
        if (digits == 19) { // may be beyond a long: longValue says
            try {
                row.longValue(index);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
