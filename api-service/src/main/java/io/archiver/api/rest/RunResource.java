package io.archiver.api.rest;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.api.operations.ControlDatabase;
import io.archiver.api.operations.KafkaReads;
import io.archiver.api.operations.RequestSink;
import io.archiver.api.security.Caller;
import io.archiver.api.security.Role;
import io.archiver.events.ArchiveMode;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.ArchiveRunConfirmed;
import io.archiver.events.EventCodec;
import io.archiver.operations.events.RunEvent;
import io.archiver.operations.events.RunEvents;
import io.archiver.operations.kafka.KafkaAccess;
import io.archiver.operations.NotFound;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.policies.PolicyOperations;
import io.archiver.operations.requests.RequestPublisher;
import io.archiver.operations.requests.RunOrder;
import io.archiver.operations.requests.RunRequests;
import io.archiver.operations.runs.LedgerReader;
import io.archiver.operations.runs.RunRow;
import io.archiver.operations.runs.RunView;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Runs: trigger (with a dry run) and confirm through the same {@link RunRequests} and {@link RequestPublisher} as archivectl's
 * {@code trigger}; the ledger's runs, a run with its batches and progress, and that progress as server-sent events until the run
 * completes, read through {@link LedgerReader} as archivectl's {@code status}. Every request names the caller as requestedBy.
 */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private static final Logger LOG = Logger.getLogger(RunResource.class);
    private static final Duration STREAM_INTERVAL = Duration.ofSeconds(1);
    private static final Duration STREAM_LONGEST = Duration.ofHours(6);

    /** A trigger's body; every field but {@code policy} has archivectl's default. */
    public record TriggerBody(String policy, String table, String minAge, String mode, Boolean dryRun, String scheduleSlot, String slotLength,
            String runId) {
    }

    /** Where the request landed. */
    public record Triggered(String runId, String policy, String table, String mode, boolean dryRun, String cutoff, String scheduleSlot,
            String requestedBy, String topic, int partition, long offset) {
    }

    /** One event of a run's log, where it is on the topics, and the event itself as EventCodec writes it. */
    public record EventView(String occurredAt, String topic, int partition, long offset, String kind, String runId, String batchId,
            String details, JsonNode event) {
        static EventView of(RunEvent e) {
            JsonNode event;
            try {
                event = JSON.readTree(EventCodec.encode(e.event()));
            } catch (java.io.IOException x) {
                throw new IllegalStateException("EventCodec wrote what it cannot read back", x);
            }
            return new EventView(e.event().occurredAt().toString(), e.topic(), e.partition(), e.offset(), e.kind(), e.event().runId(),
                    e.event().batchId(), e.details(), event);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ControlDatabase database;
    private final RequestSink sink;
    private final KafkaReads kafka;
    private final Caller caller;
    private final Clock clock = Clock.systemUTC();

    public RunResource(ControlDatabase database, RequestSink sink, KafkaReads kafka, Caller caller) {
        this.database = database;
        this.sink = sink;
        this.kafka = kafka;
        this.caller = caller;
    }

    /**
     * The run's event log through {@link RunEvents} as archivectl's {@code events}: every event of the run on the flow's topics,
     * ordered by occurredAt, a page at a time; a replayed event shows once per copy. Each call reads the topics to their end.
     */
    @GET
    @Path("{runId}/events")
    @RolesAllowed(Role.VIEWER)
    @Blocking
    public Page<EventView> events(@PathParam("runId") String runId, @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        Page.check(offset, limit);
        RunEvents.Log log;
        try (KafkaAccess access = kafka.open()) {
            log = new RunEvents(access).of(runId);
        }
        return Page.of(log.events().stream().map(EventView::of).toList(), offset, limit);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.OPERATOR)
    @Blocking
    public Response trigger(TriggerBody body) {
        if (body == null) {
            throw new OperationRefused(null, "a JSON body is required, at least {\"policy\": \"run\"}");
        }
        RunOrder order = new RunOrder(body.policy(), body.table(), duration("minAge", body.minAge(), "P60D"), mode(body.mode()),
                Boolean.TRUE.equals(body.dryRun()), body.scheduleSlot(), duration("slotLength", body.slotLength(), "PT24H"), body.runId(),
                caller.requestedBy());
        io.archiver.policy.PolicySpec policy = null;
        if (body.policy() != null && !body.policy().isBlank()) {
            policy = database.read(c -> new PolicyOperations(c).list()).stream().map(p -> p.spec()).filter(p -> p.name().equals(body.policy()))
                    .findFirst().orElseThrow(() -> new OperationRefused("policy", "no policy named '" + body.policy() + "' in the control database"));
        }
        // refused here, before anything is published; without a mode the run takes the policy's
        ArchiveRequested request = RunRequests.request(order, policy, clock.instant());
        RequestPublisher.Published sent = new RequestPublisher(sink).publish(request);
        LOG.infof("run requested runId=%s policy=%s dryRun=%s requestedBy=%s at=%s-%d@%d", request.runId(), request.policy(), request.dryRun(),
                request.requestedBy(), sent.topic(), sent.partition(), sent.offset());
        return Response.accepted(new Triggered(request.runId(), request.policy(), request.table(), request.mode().name(), request.dryRun(),
                io.archiver.operations.Texts.time(request.cutoffEpochMs()), request.scheduleSlot(), request.requestedBy(), sent.topic(),
                sent.partition(), sent.offset())).build();
    }

    /** Confirms a run a safety rail holds (docs/safety-rails.md); confirming a run that does not await confirmation changes nothing. */
    @POST
    @Path("{runId}/confirm")
    @RolesAllowed(Role.OPERATOR)
    @Blocking
    public Response confirm(@PathParam("runId") String runId) {
        view(runId); // a 404 for a run the ledger does not have
        ArchiveRunConfirmed confirmation = RunRequests.confirmation(runId, caller.requestedBy());
        RequestPublisher.Published sent = new RequestPublisher(sink).publish(confirmation);
        LOG.infof("run confirmed runId=%s requestedBy=%s at=%s-%d@%d", runId, confirmation.requestedBy(), sent.topic(), sent.partition(),
                sent.offset());
        return Response.accepted(Map.of("runId", runId, "confirmedBy", confirmation.requestedBy())).build();
    }

    @GET
    @RolesAllowed(Role.VIEWER)
    @Blocking
    public Page<Map<String, Object>> list(@QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("20") int limit,
            @QueryParam("policy") String policy, @QueryParam("scheduleSlot") String scheduleSlot) {
        Page.check(offset, limit);
        return database.read(c -> {
            LedgerReader ledger = new LedgerReader(c, "the control database");
            List<RunRow> runs = ledger.latestRuns(offset + limit, policy, scheduleSlot);
            List<RunRow> page = runs.subList(Math.min(offset, runs.size()), runs.size());
            Map<String, Map<String, Long>> states = ledger.batchStates(page.stream().map(RunRow::runId).toList());
            List<Map<String, Object>> items = new ArrayList<>();
            for (RunRow run : page) {
                Map<String, Long> all = RunView.byState(List.of());
                all.putAll(states.getOrDefault(run.runId(), Map.of()));
                items.add(RunView.runJson(run, all));
            }
            // the ledger is read newest first up to offset + limit: a full page may have more behind it
            return new Page<>(items, offset, limit, runs.size() < offset + limit ? runs.size() : -1);
        });
    }

    /** A run with its batches (states, counts, objects, failures and their reasons) and its progress. */
    @GET
    @Path("{runId}")
    @RolesAllowed(Role.VIEWER)
    @Blocking
    public Map<String, Object> show(@PathParam("runId") String runId) {
        return view(runId).toJson(System.currentTimeMillis());
    }

    /**
     * The run's progress as server-sent events, one a second (rows removed and found, percent, rows/s, batches by state, state),
     * the last one when the run completed or awaits confirmation.
     */
    @GET
    @Path("{runId}/progress")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.VIEWER)
    @Blocking
    public Multi<Map<String, Object>> progress(@PathParam("runId") String runId) {
        view(runId); // a 404 before the stream opens
        long deadline = System.nanoTime() + STREAM_LONGEST.toNanos();
        boolean[] first = { true };
        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().item(() -> {
                    if (!first[0]) {
                        sleep();
                    }
                    first[0] = false;
                    return progressOf(view(runId));
                }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .whilst(event -> !Boolean.TRUE.equals(event.get("done")) && System.nanoTime() < deadline);
    }

    private static void sleep() {
        try {
            Thread.sleep(STREAM_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Map<String, Object> progressOf(RunView view) {
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        RunRow run = view.run();
        event.put("runId", run.runId());
        event.put("state", run.state());
        event.put("outcome", run.outcome());
        event.put("dryRun", run.dryRun());
        event.put("rowsFound", view.rowsFound());
        event.put("rowsRemoved", view.rowsRemoved());
        event.put("rowsFailed", view.rowsFailed());
        event.put("batchesByState", view.batchesByState());
        event.put("progress", view.progress(System.currentTimeMillis()).toJson());
        event.put("done", run.completed() || run.awaitingConfirmation());
        return event;
    }

    private RunView view(String runId) {
        return database.read(c -> new LedgerReader(c, "the control database").view(runId))
                .orElseThrow(() -> new NotFound("no run " + runId + " in the ledger"));
    }

    private static Duration duration(String field, String text, String fallback) {
        String value = text == null || text.isBlank() ? fallback : text;
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new OperationRefused(field, "must be an ISO-8601 duration such as P60D or PT1H, not '" + value + "'");
        }
    }

    private static ArchiveMode mode(String text) {
        if (text == null || text.isBlank()) {
            return null; // the policy's
        }
        try {
            return ArchiveMode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new OperationRefused("mode", "must be DELETE or MOVE, not '" + text + "'");
        }
    }
}
