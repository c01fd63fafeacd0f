package io.archiver.policy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * A policy's {@code schedule}: a Quartz cron expression as Quarkus' scheduler reads it (six or seven fields, seconds first,
 * one of day-of-month and day-of-week '?'), evaluated in UTC. One reading for {@code policy apply} (which refuses a bad one)
 * and the scanner (which fires it), so a schedule that was accepted is one the scanner can fire.
 */
public final class CronSchedule {

    /** What a policy file writes for no schedule (as {@code archiver.schedule.cron} does). */
    public static final String OFF = "off";

    /** How a schedule is written, for messages. */
    public static final String FORM = "a Quartz cron expression in UTC, six or seven fields, seconds first, one of day-of-month and"
            + " day-of-week '?': e.g. '0 0 2 * * ?' (02:00 every day) or '0 30 1 ? * SUN' (01:30 on Sundays); or off";

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    private final String expression;
    private final ExecutionTime times;

    private CronSchedule(String expression, ExecutionTime times) {
        this.expression = expression;
        this.times = times;
    }

    /** The schedule of {@code expression}; an IllegalArgumentException says why it is not one. */
    public static CronSchedule parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("empty");
        }
        try {
            Cron cron = PARSER.parse(expression.trim()).validate();
            return new CronSchedule(expression.trim(), ExecutionTime.forCron(cron));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("Failed to parse cron expression. ", ""), e);
        }
    }

    /** Why {@code expression} is not a schedule, or empty when it is one. */
    public static Optional<String> problem(String expression) {
        try {
            parse(expression);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    public String expression() {
        return expression;
    }

    /** The latest fire time at or before {@code now} (whole seconds, UTC), if the schedule ever fired by then. */
    public Optional<Instant> lastFireAtOrBefore(Instant now) {
        // ExecutionTime answers strictly before its argument
        return times.lastExecution(ZonedDateTime.ofInstant(now.plusNanos(1), ZoneOffset.UTC)).map(ZonedDateTime::toInstant);
    }

    /** The first fire time after {@code after}, if there is one. */
    public Optional<Instant> nextFireAfter(Instant after) {
        return times.nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC)).map(ZonedDateTime::toInstant);
    }

    @Override
    public String toString() {
        return expression;
    }
}
