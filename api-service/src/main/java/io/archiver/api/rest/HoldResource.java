package io.archiver.api.rest;

import java.time.Clock;
import java.time.Instant;
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

import io.archiver.api.operations.ArchiveBucket;
import io.archiver.api.operations.ControlDatabase;
import io.archiver.api.security.Caller;
import io.archiver.api.security.Role;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.holds.Hold;
import io.archiver.operations.holds.HoldOperations;
import io.archiver.operations.holds.HoldOrder;
import io.smallrye.common.annotation.Blocking;

/**
 * Legal holds through {@link HoldOperations}, as archivectl's {@code hold} commands: viewers list them, admins place and release
 * them (each audited with the caller as actor; where the bucket has Object Lock, its objects' S3 legal holds follow).
 */
@Path("/api/v1/holds")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class HoldResource {

    private static final Logger LOG = Logger.getLogger(HoldResource.class);

    /** A hold to place: the policy, at most one of run, object and key range (none: the whole policy), why, and until when. */
    public record HoldBody(String policy, String run, String object, Long firstKey, Long lastKey, String reason, String until) {
    }

    private final ControlDatabase database;
    private final ArchiveBucket bucket;
    private final Caller caller;
    private final Clock clock = Clock.systemUTC();

    public HoldResource(ControlDatabase database, ArchiveBucket bucket, Caller caller) {
        this.database = database;
        this.bucket = bucket;
        this.caller = caller;
    }

    /** The holds in force (with {@code all}, also released and ended ones), oldest first. */
    @GET
    @RolesAllowed(Role.VIEWER)
    public Page<Map<String, Object>> list(@QueryParam("policy") String policy, @QueryParam("all") @DefaultValue("false") boolean all,
            @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("50") int limit) {
        Page.check(offset, limit);
        List<Hold> holds = database.read(c -> new HoldOperations(c, null, clock).list(policy, all));
        return Page.of(holds.stream().map(Hold::toJson).toList(), offset, limit);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN)
    public Response place(HoldBody body) {
        if (body == null) {
            throw new OperationRefused(null, "a JSON body is required: {\"policy\": \"run\", \"reason\": \"case 2026-117\"}");
        }
        HoldOrder order = new HoldOrder(body.policy(), body.run(), body.object(), body.firstKey(), body.lastKey(), body.reason(),
                Params.instant("until", body.until()), caller.requestedBy());
        order.check(clock.instant()); // refused here, before anything is written
        HoldOperations.Outcome outcome = database.write(c -> new HoldOperations(c, bucket.store(), clock).place(order));
        LOG.infof("hold placed id=%d policy=%s scope=%s by=%s legalHoldsSet=%d", outcome.hold().id(), outcome.hold().policy(),
                outcome.hold().scope(), order.actor(), outcome.legalHoldsSet().size());
        return Response.status(Response.Status.CREATED).entity(view(outcome)).build();
    }

    @POST
    @Path("{id}/release")
    @RolesAllowed(Role.ADMIN)
    public Map<String, Object> release(@PathParam("id") String id) {
        long holdId;
        try {
            holdId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new OperationRefused("id", "a hold's id is a number (GET /api/v1/holds), not '" + id + "'");
        }
        String actor = caller.requestedBy();
        HoldOperations.Outcome outcome = database.write(c -> new HoldOperations(c, bucket.store(), clock).release(holdId, actor));
        LOG.infof("hold released id=%d policy=%s by=%s legalHoldsCleared=%d", holdId, outcome.hold().policy(), actor,
                outcome.legalHoldsSet().size());
        return view(outcome);
    }

    private static Map<String, Object> view(HoldOperations.Outcome outcome) {
        Map<String, Object> view = outcome.hold().toJson();
        view.put("legalHoldsSet", outcome.legalHoldsSet());
        view.put("legalHoldsKept", outcome.legalHoldsKept());
        view.put("bucket", outcome.bucketNote());
        return view;
    }
}
