package io.archiver.support.policy;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a policy fits its live table: the rails checked before each run (and, later, before a policy is
 * accepted). Pure: it takes the {@link TableFacts} read from the database and the clock's now, and says
 * why not, or nothing. In order: the table and its date
 * column exist; the column's SQL type holds that kind; the date column leads an index and the id column
 * leads the primary key (else reading the column's ends, counting the table or planning would scan it);
 * and the column's smallest and largest values, read in the declared kind, fall between 1990-01-01 and
 * the end of tomorrow (UTC). When they do not, the message says which unit they look like.
 */
public final class PolicyTableCheck {

    /** No live table archives rows dated before this: such a value is a number in another unit, or a placeholder. */
    public static final Instant EARLIEST = Instant.parse("1990-01-01T00:00:00Z");

    static final Set<String> INTEGER_TYPES = DateKind.INTEGER_TYPES;

    /** The units an epoch number may be in, coarse to fine, to say which one values look like. */
    enum EpochUnit {
        SECONDS("epoch seconds", 1_000_000_000L),
        MILLISECONDS("epoch milliseconds", 1_000_000L),
        MICROSECONDS("epoch microseconds", 1_000L),
        NANOSECONDS("epoch nanoseconds", 1L);

        final String description;
        private final long nanosPerUnit;

        EpochUnit(String description, long nanosPerUnit) {
            this.description = description;
            this.nanosPerUnit = nanosPerUnit;
        }

        Optional<Instant> instant(long value) {
            long perSecond = 1_000_000_000L / nanosPerUnit;
            try {
                return Optional.of(Instant.ofEpochSecond(Math.floorDiv(value, perSecond), Math.floorMod(value, perSecond) * nanosPerUnit));
            } catch (DateTimeException | ArithmeticException e) {
                return Optional.empty();
            }
        }

        static EpochUnit of(DateKind kind) {
            return kind == DateKind.EPOCH_SECONDS ? SECONDS : MILLISECONDS;
        }
    }

    private PolicyTableCheck() {
    }

    /** The first rail the policy's table trips, or empty when the policy may run on it. */
    public static Optional<Refusal> check(String policyName, ArchivePolicies.Policy policy, TableFacts facts, Instant now) {
        DateKind kind = policy.dateKind();
        String column = facts.qualifiedDateColumn();
        String prefix = "policy '" + policyName + "': ";
        if (!facts.tableExists()) {
            return refuse(RailReason.TABLE_OR_COLUMN_MISSING, prefix + "table " + facts.table() + " does not exist in the source database.");
        }
        if (facts.dateType() == null) {
            return refuse(RailReason.TABLE_OR_COLUMN_MISSING, prefix + "table " + facts.table() + " has no column " + facts.dateColumn()
                    + " (date-column).");
        }
        if (!accepts(kind, facts.dateType())) {
            return refuse(RailReason.DATE_TYPE_MISMATCH, prefix + "column " + column + " is " + facts.dateColumnType().toUpperCase(Locale.ROOT)
                    + values(facts) + ", but date-kind " + kind + " says " + kind.description() + ": values look like "
                    + looksLike(facts.dateType()) + ", policy says " + kind.unit() + ". Compared with the cutoff, such a column matches"
                    + " the wrong rows or none. Point date-column at a " + String.join(" or ", kind.sqlTypes()).toUpperCase(Locale.ROOT)
                    + " column of " + kind.description() + ".");
        }
        if (facts.dateIndex() == null) {
            return refuse(RailReason.DATE_COLUMN_NOT_INDEXED, prefix + "column " + column + " is not the first column of any index: reading its"
                    + " oldest and newest values and counting the table would scan the whole table. Add one, e.g. CREATE INDEX idx_"
                    + facts.table() + "_" + facts.dateColumn() + " ON " + facts.table() + " (" + facts.dateColumn() + ").");
        }
        if (!facts.idLeadsPrimaryKey()) {
            return refuse(RailReason.PLANNING_WOULD_SCAN, prefix + "id-column " + facts.idColumn() + " is not the first column of "
                    + facts.table() + "'s primary key: planning walks the primary key from id to id, and on any other column it would"
                    + " scan the whole table. Point id-column at the primary key.");
        }
        return plausibleValues(prefix, kind, policy.dateZone(), facts, now);
    }

    /** The latest date a plausible value may have: the end of tomorrow, UTC. */
    public static Instant latest(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** A value of the column as the instant it means in {@code kind}, or empty when it means none. */
    public static Optional<Instant> instant(DateKind kind, String value) {
        return instant(kind, ZoneOffset.UTC, value);
    }

    /** As {@link #instant(DateKind, String)}, a DATE or DATETIME read in {@code zone} (the policy's date-zone); a TIMESTAMP is UTC text. */
    public static Optional<Instant> instant(DateKind kind, ZoneId zone, String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return switch (kind) {
                case EPOCH_MILLIS, EPOCH_SECONDS -> asLong(value).flatMap(EpochUnit.of(kind)::instant);
                case DATE -> Optional.of(LocalDate.parse(value).atStartOfDay(zone).toInstant());
                case DATETIME -> Optional.of(LocalDateTime.parse(value.replace(' ', 'T')).atZone(zone).toInstant());
                case TIMESTAMP -> Optional.of(LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
            };
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Refusal> plausibleValues(String prefix, DateKind kind, ZoneId zone, TableFacts facts, Instant now) {
        if (facts.minDate() == null || facts.maxDate() == null) {
            return Optional.empty(); // no row has a date: nothing can be archived, and planning will say so
        }
        Instant latest = latest(now);
        Optional<Instant> min = instant(kind, zone, facts.minDate());
        Optional<Instant> max = instant(kind, zone, facts.maxDate());
        if (plausible(min, latest) && plausible(max, latest)) {
            return Optional.empty();
        }
        StringBuilder detail = new StringBuilder(prefix).append("column ").append(facts.qualifiedDateColumn()).append(" holds ")
                .append(number(facts.minDate())).append(" .. ").append(number(facts.maxDate())).append("; as ").append(kind.description())
                .append(" that is ").append(date(min)).append(" .. ").append(date(max)).append(", outside the plausible ")
                .append(EARLIEST.toString(), 0, 10).append(" .. ").append(latest.minusSeconds(1).toString(), 0, 10).append(" (tomorrow, UTC)");
        if (!kind.epoch()) {
            return refuse(RailReason.DATE_VALUES_IMPLAUSIBLE, detail.append(". Check the column's values before archiving by it.").toString());
        }
        Optional<EpochUnit> minUnit = asLong(facts.minDate()).flatMap(v -> looksLike(v, latest));
        Optional<EpochUnit> maxUnit = asLong(facts.maxDate()).flatMap(v -> looksLike(v, latest));
        if (minUnit.isPresent() && minUnit.equals(maxUnit)) {
            EpochUnit unit = minUnit.get();
            long lo = asLong(facts.minDate()).orElseThrow();
            long hi = asLong(facts.maxDate()).orElseThrow();
            detail.append("; as ").append(unit.description).append(" it is ").append(date(unit.instant(lo))).append(" .. ")
                    .append(date(unit.instant(hi))).append(": values look like ").append(unit.description).append(", policy says ")
                    .append(kind.unit());
        } else {
            detail.append(": the smallest value looks like ").append(minUnit.map(u -> u.description).orElse("no plausible date"))
                    .append(", the largest like ").append(maxUnit.map(u -> u.description).orElse("no plausible date"))
                    .append("; policy says ").append(kind.unit());
        }
        return refuse(RailReason.DATE_VALUES_IMPLAUSIBLE, detail.append(" (date-kind ").append(kind)
                .append("). Point date-column at a column of ").append(kind.description()).append(", or clean up the values outside the window.")
                .toString());
    }

    private static boolean plausible(Optional<Instant> date, Instant latest) {
        return date.isPresent() && !date.get().isBefore(EARLIEST) && date.get().isBefore(latest);
    }

    /** The coarsest epoch unit in which {@code value} is a plausible date. */
    private static Optional<EpochUnit> looksLike(long value, Instant latest) {
        for (EpochUnit unit : EpochUnit.values()) {
            if (plausible(unit.instant(value), latest)) {
                return Optional.of(unit);
            }
        }
        return Optional.empty();
    }

    private static boolean accepts(DateKind kind, String dataType) {
        return kind.accepts(dataType);
    }

    private static String looksLike(String dataType) {
        return switch (dataType.toLowerCase(Locale.ROOT)) {
            case "date" -> "dates";
            case "datetime" -> "date-times";
            case "timestamp" -> "timestamps";
            default -> INTEGER_TYPES.contains(dataType.toLowerCase(Locale.ROOT)) ? "numbers" : dataType.toUpperCase(Locale.ROOT) + " values";
        };
    }

    private static String values(TableFacts facts) {
        return facts.minDate() == null ? "" : " (values " + facts.minDate() + " .. " + facts.maxDate() + ")";
    }

    private static Optional<Long> asLong(String value) {
        try {
            BigInteger number = new BigInteger(value.trim());
            return number.bitLength() < 64 ? Optional.of(number.longValue()) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A number with thousands separators ("1,764,547,200"); other text as it is. */
    private static String number(String value) {
        return asLong(value).map(v -> String.format(Locale.ROOT, "%,d", v)).orElse(value);
    }

    private static String date(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse("no date");
    }

    private static Optional<Refusal> refuse(RailReason reason, String detail) {
        return Optional.of(new Refusal(reason, detail));
    }
}
