package io.archiver.api.rest;

import java.time.Clock;
import java.util.List;
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

import io.archiver.api.operations.ControlDatabase;
import io.archiver.api.operations.RequestSink;
import io.archiver.api.security.Caller;
import io.archiver.api.security.Role;
import io.archiver.events.RestoreRequested;
import io.archiver.ledger.RestoreRecord;
import io.archiver.operations.NotFound;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.requests.RequestPublisher;
import io.archiver.operations.restores.RestoreOrder;
import io.archiver.operations.restores.RestoreReader;
import io.archiver.operations.restores.RestoreRequests;
import io.archiver.policy.PolicyStore;
import io.archiver.policy.StoredPolicy;
import io.smallrye.common.annotation.Blocking;

/**
 * Restores, as archivectl's {@code restore}: a request checked by {@link RestoreRequests} and published by {@link RequestPublisher}
 * (the deleter verifies each object before it writes a row); the restores' records with their objects and conflicts read by
 * {@link RestoreReader}. Operators restore, viewers read.
 */
@Path("/api/v1/restores")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RestoreResource {

    private static final Logger LOG = Logger.getLogger(RestoreResource.class);
    private static final int CONFLICTS_SHOWN = 100;

    /**
     * A restore to ask for: the policy, exactly one scope ({@code run}, {@code object}, {@code keyFrom}..{@code keyTo} or
     * {@code from}..{@code to}), the target table {@code into} (or {@code intoSource}), a dry run, optionally its id.
     */
    public record RestoreBody(String policy, String run, String object, String keyFrom, String keyTo, String from, String to, String into,
            Boolean intoSource, Boolean dryRun, String restoreId) {
    }

    /** Where the request landed. */
    public record Requested(String restoreId, String policy, String scope, String target, boolean intoSource, boolean dryRun,
            String requestedBy, String topic, int partition, long offset) {
    }

    private final ControlDatabase database;
    private final RequestSink sink;
    private final Caller caller;
    private final Clock clock = Clock.systemUTC();

    public RestoreResource(ControlDatabase database, RequestSink sink, Caller caller) {
        this.database = database;
        this.sink = sink;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.OPERATOR)
    public Response request(RestoreBody body) {
        if (body == null) {
            throw new OperationRefused(null, "a JSON body is required: {\"policy\": \"run\", \"run\": \"run-...\", \"into\": \"run_restored\"}");
        }
        if (body.policy() == null || body.policy().isBlank()) {
            throw new OperationRefused("policy", "is required: the policy whose archive is restored");
        }
        RestoreOrder order = new RestoreOrder(body.policy(), body.run(), body.object(), body.keyFrom(), body.keyTo(),
                Params.instant("from", body.from()), Params.instant("to", body.to()), body.into(), Boolean.TRUE.equals(body.intoSource()),
                Boolean.TRUE.equals(body.dryRun()), caller.requestedBy(), body.restoreId());
        // refused here, naming the field, before anything is published
        RestoreRequested request = database.read(c -> RestoreRequests.request(order,
                new PolicyStore(c).find(order.policy()).map(StoredPolicy::spec).orElse(null), clock.instant()));
        RequestPublisher.Published sent = new RequestPublisher(sink).publish(request);
        LOG.infof("restore requested restoreId=%s policy=%s scope=%s target=%s dryRun=%s requestedBy=%s at=%s-%d@%d", request.runId(),
                request.policy(), request.scope().describe(), request.targetTable(), request.dryRun(), request.requestedBy(), sent.topic(),
                sent.partition(), sent.offset());
        return Response.accepted(new Requested(request.runId(), request.policy(), request.scope().describe(), request.targetTable(),
                request.intoSource(), request.dryRun(), request.requestedBy(), sent.topic(), sent.partition(), sent.offset())).build();
    }

    /** The latest restores, newest first (of one policy, or all). */
    @GET
    @RolesAllowed(Role.VIEWER)
    public Page<Map<String, Object>> list(@QueryParam("policy") String policy, @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("20") int limit) {
        Page.check(offset, limit);
        List<RestoreRecord> latest = database.read(c -> new RestoreReader(c, "the control database").latest(policy, offset + limit));
        List<RestoreRecord> page = latest.subList(Math.min(offset, latest.size()), latest.size());
        // read newest first up to offset + limit: a full page may have more behind it
        return new Page<>(page.stream().map(RestoreReader::toJson).toList(), offset, limit,
                latest.size() < offset + limit ? latest.size() : -1);
    }

    /** A restore: its state and figures, each object's progress, and the keys in conflict (at most 100). */
    @GET
    @Path("{restoreId}")
    @RolesAllowed(Role.VIEWER)
    public Map<String, Object> show(@PathParam("restoreId") String restoreId) {
        return database.read(c -> {
            RestoreReader reader = new RestoreReader(c, "the control database");
            RestoreRecord record = reader.find(restoreId).orElseThrow(() -> new NotFound("no restore " + restoreId
                    + " in the ledger (a request the deleter has not handled yet has no record yet)"));
            Map<String, Object> view = RestoreReader.toJson(record);
            view.put("objects", reader.objects(restoreId));
            view.put("conflicts", reader.conflicts(restoreId, CONFLICTS_SHOWN));
            return view;
        });
    }
}
