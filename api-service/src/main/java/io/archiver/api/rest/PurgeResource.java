package io.archiver.api.rest;

import java.time.Clock;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;

import io.archiver.api.operations.ArchiveBucket;
import io.archiver.api.operations.ControlDatabase;
import io.archiver.api.security.Caller;
import io.archiver.api.security.Role;
import io.archiver.operations.OperationRefused;
import io.archiver.operations.purge.PurgeReport;
import io.archiver.operations.purge.Purger;
import io.smallrye.common.annotation.Blocking;

/**
 * Purge through {@link Purger}, the one place purge is decided (archivectl's {@code purge} and its CronJob call it too): what is
 * past its retention and under no hold nor Object Lock is removed (with {@code dryRun}, only reported), each removal audited
 * with the caller as actor. Admins only.
 */
@Path("/api/v1/purge")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class PurgeResource {

    private static final Logger LOG = Logger.getLogger(PurgeResource.class);
    private static final int MOST_BATCH_ROWS = 100_000;

    /** Which policy (null: every policy), whether only to report, and the archive-table rows removed per transaction. */
    public record PurgeBody(String policy, Boolean dryRun, Integer batchRows) {
    }

    private final ControlDatabase database;
    private final ArchiveBucket bucket;
    private final Caller caller;
    private final Clock clock = Clock.systemUTC();

    public PurgeResource(ControlDatabase database, ArchiveBucket bucket, Caller caller) {
        this.database = database;
        this.bucket = bucket;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN)
    public Map<String, Object> purge(PurgeBody body) {
        PurgeBody order = body != null ? body : new PurgeBody(null, false, null);
        int batchRows = order.batchRows() == null ? Purger.DEFAULT_BATCH_ROWS : order.batchRows();
        if (batchRows < 1 || batchRows > MOST_BATCH_ROWS) {
            throw new OperationRefused("batchRows", "must be 1 to " + MOST_BATCH_ROWS + ", not " + batchRows);
        }
        String policy = order.policy() == null || order.policy().isBlank() ? null : order.policy();
        boolean dryRun = Boolean.TRUE.equals(order.dryRun());
        String actor = caller.requestedBy();
        PurgeReport report = database.write(c -> new Purger(c, bucket.store(), clock, actor, batchRows).purge(policy, dryRun));
        long rows = report.policies().stream().mapToLong(p -> p.rows().purged()).sum();
        long objects = report.policies().stream().mapToLong(p -> p.objects().purged().size()).sum();
        LOG.infof("purge by=%s policy=%s dryRun=%s policies=%d rows=%d objects=%d", actor, policy == null ? "*" : policy, dryRun,
                report.policies().size(), rows, objects);
        return report.toJson();
    }
}
