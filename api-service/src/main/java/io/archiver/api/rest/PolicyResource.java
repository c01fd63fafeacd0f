package io.archiver.api.rest;

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

import org.jboss.logging.Logger;

import io.archiver.api.operations.ControlDatabase;
import io.archiver.api.security.Caller;
import io.archiver.api.security.Role;
import io.archiver.operations.Texts;
import io.archiver.operations.policies.PolicyOperations;
import io.archiver.policy.PolicyChange;
import io.archiver.policy.PolicyHistoryEntry;
import io.archiver.policy.PolicySpec;
import io.archiver.policy.StoredPolicy;
import io.smallrye.common.annotation.Blocking;

/**
 * The policies of the control database through {@link PolicyOperations}, as archivectl's {@code policy} commands: viewers read
 * them, admins apply a policy document (the YAML of a policy file, or the same as JSON), disable and enable.
 */
@Path("/api/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class PolicyResource {

    private static final Logger LOG = Logger.getLogger(PolicyResource.class);
    private static final String DOCUMENT = "the policy document";

    /** A policy as stored: its settings as a policy file writes them, its version and last change. */
    public record PolicyView(String name, Map<String, Object> settings, boolean enabled, int version, String updatedBy, String updatedAt) {
        static PolicyView of(StoredPolicy stored) {
            return new PolicyView(stored.spec().name(), stored.spec().settings(), stored.spec().enabled(), stored.version(), stored.updatedBy(),
                    Texts.time(stored.updatedAtMs()));
        }
    }

    /** One change made, or that would be made in a dry run. */
    public record ChangeView(String policy, String kind, int version, List<String> diff) {
        static List<ChangeView> of(List<PolicyChange> changes) {
            return changes.stream().map(c -> new ChangeView(c.name(), c.kind().name(), c.version(), c.diff())).toList();
        }
    }

    public record Changes(boolean dryRun, List<ChangeView> changes) {
    }

    public record HistoryView(int version, String kind, String actor, String at, String oldValue, String newValue) {
    }

    private final ControlDatabase database;
    private final Caller caller;

    public PolicyResource(ControlDatabase database, Caller caller) {
        this.database = database;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Role.VIEWER)
    public Page<PolicyView> list(@QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("50") int limit) {
        Page.check(offset, limit);
        List<PolicyView> all = database.read(c -> new PolicyOperations(c).list()).stream().map(PolicyView::of).toList();
        return Page.of(all, offset, limit);
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Role.VIEWER)
    public PolicyView show(@PathParam("name") String name) {
        return PolicyView.of(database.read(c -> new PolicyOperations(c).show(name)));
    }

    @GET
    @Path("{name}/history")
    @RolesAllowed(Role.VIEWER)
    public List<HistoryView> history(@PathParam("name") String name) {
        List<PolicyHistoryEntry> entries = database.read(c -> new PolicyOperations(c).history(name));
        return entries.stream().map(e -> new HistoryView(e.version(), e.kind().name(), e.actor(), Texts.time(e.atMs()), e.oldValue(),
                e.newValue())).toList();
    }

    /** Applies a policy document: checked against the live tables first; with dryRun, only says what would change. */
    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, "application/yaml" })
    @RolesAllowed(Role.ADMIN)
    public Changes apply(String document, @QueryParam("dryRun") @DefaultValue("false") boolean dryRun) {
        List<PolicySpec> specs = PolicyOperations.parse(DOCUMENT, document == null ? "" : document);
        String actor = caller.requestedBy();
        List<PolicyChange> changes = dryRun ? database.read(c -> new PolicyOperations(c).apply(DOCUMENT, specs, actor, true))
                : database.write(c -> new PolicyOperations(c).apply(DOCUMENT, specs, actor, false));
        LOG.infof("policy apply by=%s dryRun=%s policies=%s changes=%d", actor, dryRun, specs.stream().map(PolicySpec::name).toList(),
                changes.size());
        return new Changes(dryRun, ChangeView.of(changes));
    }

    /** What applying a policy document would change (the same as a dry run). */
    @POST
    @Path("diff")
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, "application/yaml" })
    @RolesAllowed(Role.ADMIN)
    public Changes diff(String document) {
        return apply(document, true);
    }

    @POST
    @Path("{name}/disable")
    @RolesAllowed(Role.ADMIN)
    public Changes disable(@PathParam("name") String name) {
        return toggle(name, false);
    }

    @POST
    @Path("{name}/enable")
    @RolesAllowed(Role.ADMIN)
    public Changes enable(@PathParam("name") String name) {
        return toggle(name, true);
    }

    private Changes toggle(String name, boolean enabled) {
        String actor = caller.requestedBy();
        List<PolicyChange> changes = database.write(c -> {
            PolicyOperations policies = new PolicyOperations(c);
            policies.show(name); // a 404 for a policy that does not exist
            return policies.setEnabled(name, enabled, actor).map(List::of).orElse(List.of());
        });
        LOG.infof("policy %s by=%s policy=%s changes=%d", enabled ? "enable" : "disable", actor, name, changes.size());
        return new Changes(false, ChangeView.of(changes));
    }

}
