package io.archiver.scanner.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.scheduler.Scheduled;

/**
 * The policies' tick waits for the application to run. A tick during start-up made the trigger before SmallRye Reactive
 * Messaging had connected its {@code requests-out} emitter, and the scanner logged an ERROR with a stack trace on some starts
 * (a race, so no start-up test fails reliably without this): Quarkus skips the execution until the application runs.
 */
class ScheduledTriggerTest {

    @Test
    void thePolicySchedulesTickOnlyOnceTheApplicationRuns() throws NoSuchMethodException {
        Scheduled tick = ScheduledTrigger.class.getDeclaredMethod("tick").getAnnotation(Scheduled.class);

        assertThat(tick.identity()).isEqualTo("policy-schedules");
        assertThat(tick.skipExecutionIf()).isEqualTo(Scheduled.ApplicationNotRunning.class);
    }
}
