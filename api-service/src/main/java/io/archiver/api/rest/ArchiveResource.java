package io.archiver.api.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.logging.Logger;

import io.archiver.api.operations.ArchiveBucket;
import io.archiver.api.operations.ControlDatabase;
import io.archiver.api.security.Role;
import io.archiver.manifest.ArchiveManifest;
import io.archiver.objectstore.ArchiveFinder;
import io.archiver.objectstore.ArchiveQuery;
import io.archiver.objectstore.ArchiveReader;
import io.archiver.operations.NotFound;
import io.archiver.operations.OperationFailed;
import io.archiver.operations.OperationRefused;
import io.archiver.policy.PolicyStore;
import io.archiver.policy.StoredPolicy;
import io.smallrye.common.annotation.Blocking;

/**
 * The archive read with the bucket, as archivectl's {@code archive find} and {@code archive get}: a find opens only the objects
 * whose manifest ranges can hold a row asked for ({@link ArchiveFinder}) and answers rows of intact objects only; a download is
 * held to its manifest (size and SHA-256, {@link ArchiveReader#download}) before its first byte is sent. Viewers.
 */
@jakarta.ws.rs.Path("/api/v1/archive")
@Blocking
public class ArchiveResource {

    private static final Logger LOG = Logger.getLogger(ArchiveResource.class);

    /** One row found: the object it came from and its values by column (NULL as null). */
    public record FoundRow(String object, Map<String, String> values) {
    }

    /**
     * A page of the rows found, and what the find did: the policy's objects, those opened and those skipped by their ranges, and
     * the objects refused because they differ from their manifests (none of their rows is in {@code items}).
     */
    public record Found(List<FoundRow> items, int offset, int limit, long total, int objects, int opened, int skipped,
            List<String> refused) {
    }

    private final ControlDatabase database;
    private final ArchiveBucket bucket;

    public ArchiveResource(ControlDatabase database, ArchiveBucket bucket) {
        this.database = database;
        this.bucket = bucket;
    }

    @GET
    @jakarta.ws.rs.Path("find")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.VIEWER)
    public Found find(@QueryParam("policy") String policy, @QueryParam("key") String key, @QueryParam("keyFrom") String keyFrom,
            @QueryParam("keyTo") String keyTo, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("100") int limit) throws IOException {
        Page.check(offset, limit);
        if (policy == null || policy.isBlank()) {
            throw new OperationRefused("policy", "is required: the policy whose archive is searched (?policy=run)");
        }
        ArchiveQuery query = query(key, keyFrom, keyTo, Params.instant("from", from), Params.instant("to", to));
        String prefix = database.read(c -> new PolicyStore(c).find(policy)).map(ArchiveResource::prefix)
                .orElseThrow(() -> new OperationRefused("policy", "no policy named '" + policy + "' in the control database"));
        List<FoundRow> page = new ArrayList<>();
        long[] seen = { 0 };
        // every object that can hold a row is read whole (that is how it is verified); only the page's rows are kept
        ArchiveFinder.Result result = new ArchiveFinder(bucket.reader()).find(policy, prefix, query, (object, columns, rows) -> {
            for (List<String> row : rows) {
                if (seen[0] >= offset && page.size() < limit) {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        values.put(columns.get(i), row.get(i));
                    }
                    page.add(new FoundRow(object, values));
                }
                seen[0]++;
            }
        });
        LOG.infof("archive find policy=%s found=%d opened=%d objects=%d refused=%d", policy, result.found(), result.opened(),
                result.objects(), result.refused().size());
        return new Found(page, offset, limit, result.found(), result.objects(), result.opened(), result.skipped(), result.refused());
    }

    /**
     * One object, downloaded to a temporary file through its SHA-256 and sent only when size and SHA-256 are its manifest's (the
     * {@code X-Archive-Sha256} header says which); an object that differs is refused with 502 and nothing of it is sent.
     */
    @GET
    @jakarta.ws.rs.Path("objects/{key: .+}")
    @Produces({ MediaType.APPLICATION_OCTET_STREAM, "application/problem+json" })
    @RolesAllowed(Role.VIEWER)
    public Response download(@PathParam("key") String key) throws IOException {
        ArchiveReader reader = bucket.reader();
        ArchiveManifest.ObjectEntry entry = reader.entryOf(key).orElseThrow(() -> new NotFound("no archive object " + key
                + " with a manifest beside it that describes it (" + key + ".manifest.json)"));
        Path file = Files.createTempFile("archive-object-", ".part");
        boolean sent = false;
        try {
            Files.delete(file); // download() writes beside it and moves the verified file here
            ArchiveReader.ObjectCheck check = reader.download(entry, file);
            if (!check.intact()) {
                LOG.warnf("archive download refused key=%s: %s", key, String.join("; ", check.mismatches()));
                return Problem.response(502, "Object refused", key + " differs from its manifest: " + String.join("; ", check.mismatches())
                        + "; nothing of it was sent", null, null, null);
            }
            LOG.infof("archive download key=%s bytes=%d sha256=%s", key, check.bytes(), check.sha256());
            StreamingOutput body = out -> {
                try {
                    Files.copy(file, out);
                } finally {
                    Files.deleteIfExists(file);
                }
            };
            sent = true;
            return Response.ok(body, entry.gzipped() ? "application/gzip" : "text/csv")
                    .header("Content-Disposition", "attachment; filename=\"" + key.substring(key.lastIndexOf('/') + 1) + "\"")
                    .header("Content-Length", check.bytes()).header("X-Archive-Sha256", check.sha256()).build();
        } catch (UncheckedIOException e) {
            throw new OperationFailed("cannot download " + key + ": " + e.getMessage(), e);
        } finally {
            if (!sent) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static String prefix(StoredPolicy policy) {
        return policy.spec().prefix() + "/";
    }

    private static ArchiveQuery query(String key, String keyFrom, String keyTo, Instant from, Instant to) {
        int kinds = (key != null ? 1 : 0) + (keyFrom != null || keyTo != null ? 1 : 0) + (from != null || to != null ? 1 : 0);
        if (kinds != 1) {
            throw new OperationRefused("key", "give exactly one of key=K, keyFrom=A&keyTo=B, or from=T and/or to=T (" + kinds + " given)");
        }
        if (key != null) {
            return ArchiveQuery.key(key);
        }
        if (keyFrom != null) {
            if (keyTo == null) {
                throw new OperationRefused("keyTo", "a key range needs both ends: keyFrom=A&keyTo=B");
            }
            return ArchiveQuery.keyRange(keyFrom, keyTo);
        }
        if (keyTo != null) {
            throw new OperationRefused("keyFrom", "a key range needs both ends: keyFrom=A&keyTo=B");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new OperationRefused("from", from + " is not before to " + to);
        }
        return ArchiveQuery.dates(from, to);
    }
}
