package io.archiver.events;

import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The deterministic name of a batch's archive object: {@code <prefix><table>_archive_<yyyyMMdd>_<policy>_<firstId>-<lastId>_<runId>.csv[.gz]},
 * ids zero-padded to 19 digits so that names sort by range. The same batch always gets the same
 * name, so a replay finds its object instead of writing a second one (promise 6); the file name
 * (without the prefix) is also the staged shard's name. A range of a whole key that is not one integer column
 * ({@link BatchScope#byKeys()}) gives its bounds as {@link KeyColumns#objectKeyRange} in place of the two ids (docs/keys.md).
 */
public final class ArchiveObjectKey {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private ArchiveObjectKey() {
    }

    public static String fileName(String runId, BatchScope scope, ShardCompression compression) {
        return fileName(runId, scope, null, compression);
    }

    /**
     * The file name of a batch of any key: a range of a one-integer key as {@link #fileName(String, BatchScope, ShardCompression)}
     * gives it, a range of {@code keys} ({@link BatchScope#byKeys()}) as {@link KeyColumns#objectKeyRange} in place of the two ids.
     */
    public static String fileName(String runId, BatchScope scope, KeyColumns keys, ShardCompression compression) {
        if (!SAFE.matcher(runId).matches() || runId.contains("..")) {
            throw Require.invalid("runId", "must match " + SAFE.pattern() + " without '..' to name an object: " + runId);
        }
        String range;
        if (scope.byKeys()) {
            if (keys == null) {
                throw new IllegalArgumentException("batch of " + scope.table() + " is a range of keys " + scope.first() + ".." + scope.last()
                        + ": its object's name needs the table's key columns");
            }
            range = keys.objectKeyRange(scope.first(), scope.last());
        } else {
            range = String.format("%019d-%019d", scope.firstId(), scope.lastId());
        }
        String name = String.format("%s_archive_%s_%s_%s_%s.csv%s", scope.table(), DAY.format(scope.runDate()), scope.policy(), range, runId,
                compression == ShardCompression.GZIP ? ".gz" : "");
        if (name.length() > MAX_NAME) {
            throw Require.invalid("runId", "makes an object name of " + name.length() + " characters, more than the " + MAX_NAME
                    + " a staged file name may have; use a shorter run id");
        }
        return name;
    }

    /**
     * The longest shard name: a file name may have 255 bytes (NAME_MAX of ext4, xfs, overlayfs), and the exporter's scratch
     * directory names files after the shard with up to 51 more characters ({@code .<name>.<uuid>.tmp.manifest}).
     */
    public static final int MAX_NAME = 255 - 51;

    /** The object key under {@code prefix} (for example {@code run-archive/}). */
    public static String of(String prefix, String runId, BatchScope scope, ShardCompression compression) {
        return prefix + fileName(runId, scope, compression);
    }

    /** The object key of a batch of any key under {@code prefix}. */
    public static String of(String prefix, String runId, BatchScope scope, KeyColumns keys, ShardCompression compression) {
        return prefix + fileName(runId, scope, keys, compression);
    }

    /**
     * Whether {@code fileName} is the shard of this batch, for a service that does not read the table's key (the uploader): the
     * name {@link #fileName(String, BatchScope, ShardCompression)} gives for a range of a one-integer key; for a range of a whole
     * key, a name of this table, run day, policy and run with a range part of the object-name alphabet (the range's text needs
     * the key's column kinds, which the exporter and the deleter read from the table: the deleter accepts only the exact name).
     */
    public static boolean isShardOf(String fileName, String runId, BatchScope scope, ShardCompression compression) {
        if (!scope.byKeys()) {
            return fileName.equals(fileName(runId, scope, compression));
        }
        String head = String.format("%s_archive_%s_%s_", scope.table(), DAY.format(scope.runDate()), scope.policy());
        String tail = "_" + runId + ".csv" + (compression == ShardCompression.GZIP ? ".gz" : "");
        if (!isPlainFileName(fileName) || !fileName.startsWith(head) || !fileName.endsWith(tail)
                || fileName.length() <= head.length() + tail.length()) {
            return false;
        }
        return RANGE.matcher(fileName.substring(head.length(), fileName.length() - tail.length())).matches();
    }

    /** The range part of a whole key's object name ({@link KeyColumns#objectKeyRange}): parts joined by '.', bounds by '-'. */
    private static final Pattern RANGE = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*-[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*|h[0-9a-f]{40}");

    /** True when a staged file name could be one this class made: no path separators, no dot-dot. */
    public static boolean isPlainFileName(String name) {
        return SAFE.matcher(name).matches() && !name.contains("..");
    }
}
