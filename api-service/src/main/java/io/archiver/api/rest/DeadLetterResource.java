package io.archiver.api.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;

import io.archiver.api.operations.KafkaReads;
import io.archiver.api.security.Caller;
import io.archiver.api.security.Role;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.deadletters.DeadLetterFilter;
import io.archiver.operations.deadletters.DeadLetters;
import io.archiver.operations.deadletters.DeadLetters.Outcome;
import io.archiver.operations.kafka.KafkaAccess;
import io.smallrye.common.annotation.Blocking;

/**
 * The dead-letter topics through {@link DeadLetters} as archivectl's {@code dlq}: viewers list what failed and why, operators send
 * it back to its source topic (idempotent: a dead letter replayed already is skipped unless forced), the caller on every record
 * sent.
 */
@Path("/api/v1/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DeadLetterResource {

    private static final Logger LOG = Logger.getLogger(DeadLetterResource.class);

    /**
     * A replay's filters, whether to send dead letters replayed already once more, and whether to send nothing. At least one filter,
     * or {@code all}: every dead letter of every topic goes back only when asked for in so many words.
     */
    public record ReplayBody(String topic, String run, String batch, String reason, Boolean all, Boolean force, Boolean dryRun) {
    }

    /** What happened to one dead letter: SKIPPED, WOULD_SEND or SENT, and where it went. */
    public record OutcomeView(String deadLetter, String action, String topic, Integer partition, Long offset, String what) {
        static OutcomeView of(Outcome o) {
            return new OutcomeView(o.letter().coordinates(), o.action().name(), o.topic(), o.partition(), o.offset(), o.describe());
        }
    }

    public record Replayed(boolean dryRun, long sent, long skipped, List<OutcomeView> outcomes) {
    }

    private final KafkaReads kafka;
    private final Caller caller;

    public DeadLetterResource(KafkaReads kafka, Caller caller) {
        this.kafka = kafka;
        this.caller = caller;
    }

    /** The dead letters matching the filters, by dead-letter topic, partition and offset, each with whether it was replayed. */
    @GET
    @RolesAllowed(Role.VIEWER)
    public Page<Map<String, Object>> list(@QueryParam("topic") String topic, @QueryParam("run") String run, @QueryParam("batch") String batch,
            @QueryParam("reason") String reason, @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        Page.check(offset, limit);
        DeadLetterFilter filter = new DeadLetterFilter(topic, run, batch, reason);
        filter.dlqTopics(); // a topic that is not consumed: 400 before Kafka is asked
        DeadLetters.Scan scan;
        try (KafkaAccess access = kafka.open()) {
            scan = new DeadLetters(access).scan(filter);
        }
        return Page.of(scan.letters().stream().map(l -> l.toJson(scan.replayed(l))).toList(), offset, limit);
    }

    @POST
    @Path("replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.OPERATOR)
    public Replayed replay(ReplayBody body) {
        ReplayBody b = body == null ? new ReplayBody(null, null, null, null, null, null, null) : body;
        DeadLetterFilter filter = new DeadLetterFilter(b.topic(), b.run(), b.batch(), b.reason());
        filter.dlqTopics(); // refused before anything is read or sent
        if (filter.topic() == null && !filter.any() && !Boolean.TRUE.equals(b.all())) {
            throw new OperationRefused("run", "name the dead letters to replay (topic, run, batch or reason), or send \"all\": true to"
                    + " replay every one");
        }
        boolean dryRun = Boolean.TRUE.equals(b.dryRun());
        String who = caller.requestedBy();
        List<Outcome> outcomes;
        try (KafkaAccess access = kafka.open()) {
            outcomes = new DeadLetters(access).replay(filter, Boolean.TRUE.equals(b.force()), dryRun, who);
        }
        long skipped = outcomes.stream().filter(o -> o.action() == Outcome.Action.SKIPPED).count();
        LOG.infof("dead letters replayed by=%s dryRun=%s filter=%s sent=%d skipped=%d", who, dryRun, filter, outcomes.size() - skipped, skipped);
        return new Replayed(dryRun, outcomes.size() - skipped, skipped, outcomes.stream().map(OutcomeView::of).toList());
    }
}
