package io.archiver.api.rest;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.archiver.api.operations.ControlDatabase;
import io.archiver.api.security.Role;
import io.archiver.operations.audit.AuditEntry;
import io.archiver.operations.audit.AuditTrail;
import io.smallrye.common.annotation.Blocking;

/** The audit trail, oldest first, through {@link AuditTrail} as archivectl's {@code audit}: read by viewers, written by no one here. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AuditResource {

    private final ControlDatabase database;

    public AuditResource(ControlDatabase database) {
        this.database = database;
    }

    @GET
    @RolesAllowed(Role.VIEWER)
    public Page<AuditEntry> list(@QueryParam("policy") String policy, @QueryParam("since") String since,
            @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("50") int limit) {
        Page.check(offset, limit);
        Instant from = Params.instant("since", since);
        // one more than the page: whether another page follows (the trail's size is not counted)
        List<AuditEntry> entries = database.read(c -> new AuditTrail(c).read(policy, from, offset, limit + 1));
        boolean more = entries.size() > limit;
        return new Page<>(more ? entries.subList(0, limit) : entries, offset, limit, more ? -1 : offset + entries.size());
    }
}
