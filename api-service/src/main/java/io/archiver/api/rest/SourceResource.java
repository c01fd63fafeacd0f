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
import io.archiver.api.operations.SourceEnvironment;
import io.archiver.api.rest.PolicyResource.HistoryView;
import io.archiver.api.security.Caller;
import io.archiver.api.security.Role;
import io.archiver.operations.Texts;
import io.archiver.operations.sources.SourceDocument;
import io.archiver.operations.sources.SourceLogin;
import io.archiver.operations.sources.SourceOperations;
import io.archiver.policy.PolicyChange;
import io.archiver.policy.SourceSpec;
import io.archiver.policy.StoredSource;
import io.smallrye.common.annotation.Blocking;

/**
 * The source databases of the control database through {@link SourceOperations}, as archivectl's {@code source} commands: viewers
 * read them (a password only as where it is: a variable, a file, or "encrypted" with its digest), admins apply a source document
 * (checked by logging in to each enabled source first), disable and enable. A password sent with a source is write-only.
 */
@Path("/api/v1/sources")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SourceResource {

    private static final Logger LOG = Logger.getLogger(SourceResource.class);
    static final String DOCUMENT = "the source document";

    /** A source as stored, without any credential. */
    public record SourceView(String name, Map<String, Object> settings, boolean enabled, int version, String updatedBy, String updatedAt) {
        static SourceView of(StoredSource stored) {
            return new SourceView(stored.name(), stored.spec().settings(), stored.spec().enabled(), stored.version(), stored.updatedBy(),
                    Texts.time(stored.updatedAtMs()));
        }
    }

    /** One change made, or that would be made in a dry run (a password's only as where it is). */
    public record ChangeView(String source, String kind, int version, List<String> diff) {
        static List<ChangeView> of(List<PolicyChange> changes) {
            return changes.stream().map(c -> new ChangeView(c.name(), c.kind().name(), c.version(), c.diff())).toList();
        }
    }

    public record Changes(boolean dryRun, List<ChangeView> changes) {
    }

    private final ControlDatabase database;
    private final SourceEnvironment environment;
    private final Caller caller;

    public SourceResource(ControlDatabase database, SourceEnvironment environment, Caller caller) {
        this.database = database;
        this.environment = environment;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Role.VIEWER)
    public Page<SourceView> list(@QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("50") int limit) {
        Page.check(offset, limit);
        return Page.of(database.read(c -> new SourceOperations(c).list()).stream().map(SourceView::of).toList(), offset, limit);
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Role.VIEWER)
    public SourceView show(@PathParam("name") String name) {
        return SourceView.of(database.read(c -> new SourceOperations(c).show(name)));
    }

    @GET
    @Path("{name}/history")
    @RolesAllowed(Role.VIEWER)
    public List<HistoryView> history(@PathParam("name") String name) {
        return database.read(c -> {
            SourceOperations sources = new SourceOperations(c);
            sources.show(name); // a 404 for a source that does not exist
            return sources.history(name);
        }).stream().map(e -> new HistoryView(e.version(), e.kind().name(), e.actor(), Texts.time(e.atMs()), e.oldValue(), e.newValue()))
                .toList();
    }

    /**
     * Creates or updates the sources of a document (a source file's YAML, or the same as JSON; a source may give its
     * {@code password}, kept only encrypted): each enabled source must answer as its user first; with dryRun, only says what
     * would change.
     */
    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, "application/yaml" })
    @RolesAllowed(Role.ADMIN)
    public Changes apply(String document, @QueryParam("dryRun") @DefaultValue("false") boolean dryRun) {
        List<SourceSpec> specs = SourceDocument.parse(DOCUMENT, document, environment);
        SourceOperations.checkReachable(DOCUMENT, specs, new SourceLogin(new org.mariadb.jdbc.Driver(), environment, password -> {
        }));
        String actor = caller.requestedBy();
        List<PolicyChange> changes = dryRun ? database.read(c -> new SourceOperations(c).apply(specs, actor, true))
                : database.write(c -> new SourceOperations(c).apply(specs, actor, false));
        LOG.infof("source apply by=%s dryRun=%s sources=%s changes=%d", actor, dryRun, specs.stream().map(SourceSpec::name).toList(),
                changes.size());
        return new Changes(dryRun, ChangeView.of(changes));
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
            SourceOperations sources = new SourceOperations(c);
            sources.show(name); // a 404 for a source that does not exist
            return sources.setEnabled(name, enabled, actor).map(List::of).orElse(List.of());
        });
        LOG.infof("source %s by=%s source=%s changes=%d", enabled ? "enable" : "disable", actor, name, changes.size());
        return new Changes(false, ChangeView.of(changes));
    }
}
