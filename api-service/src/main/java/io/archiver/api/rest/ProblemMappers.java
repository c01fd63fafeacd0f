package io.archiver.api.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.archiver.operations.Conflict;
import io.archiver.operations.NotFound;
import io.archiver.operations.OperationFailed;
import io.archiver.operations.OperationRefused;
import io.archiver.policy.PolicyFileException;
import io.archiver.policy.PolicyStoreException;

/** Every refusal and failure of an operation as a problem document; nothing of a request's credentials is ever echoed. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response refused(OperationRefused e) {
        return Problem.response(400, "Bad request", e.getMessage(), e.field(), e.reason(), null);
    }

    @ServerExceptionMapper
    public Response policyRefused(PolicyFileException e) {
        // the same exception refuses a source document
        boolean sources = SourceResource.DOCUMENT.equals(e.where());
        return Problem.response(400, sources ? "Source refused" : "Policy refused", e.where(), sources ? "sources" : "policies",
                String.join("; ", e.problems()), e.problems());
    }

    @ServerExceptionMapper
    public Response notFound(NotFound e) {
        return Problem.response(404, "Not found", e.getMessage(), null, null, null);
    }

    @ServerExceptionMapper
    public Response conflict(Conflict e) {
        return Problem.response(409, "Conflict", e.getMessage(), null, null, null);
    }

    @ServerExceptionMapper
    public Response failed(OperationFailed e) {
        LOG.warnf("operation failed: %s", e.getMessage());
        return Problem.response(503, "Unavailable", e.getMessage(), null, null, null);
    }

    @ServerExceptionMapper
    public Response storeFailed(PolicyStoreException e) {
        LOG.warnf("policy store failed: %s", e.getMessage());
        return Problem.response(503, "Unavailable", e.getMessage(), null, null, null);
    }

    /** The bucket did not answer or refused (its message names the bucket and the S3 error, never the credentials). */
    @ServerExceptionMapper
    public Response bucketFailed(software.amazon.awssdk.core.exception.SdkException e) {
        LOG.warnf("archive bucket failed: %s", e.getMessage());
        return Problem.response(503, "Unavailable", "the archive bucket did not answer: " + e.getMessage(), null, null, null);
    }

    /** What the bucket holds cannot be read as the archive (a manifest that is not one, say). */
    @ServerExceptionMapper
    public Response unreadable(java.io.IOException e) {
        LOG.warnf("archive unreadable: %s", e.getMessage());
        return Problem.response(502, "Bad gateway", e.getMessage(), null, null, null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Problem.response(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(), null, null, null);
    }
}
