package io.archiver.support.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;

import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.retry.RetryUtils;

/**
 * S3 failures worth retrying, classified as the AWS SDK classifies them for its own retries: what the SDK marks
 * {@link SdkException#retryable()}; a service answer of 5xx or 408, a throttling answer (429, SlowDown) or a clock skew
 * ({@link RetryUtils}); a call or attempt that timed out; and a request that failed on the wire (an {@link SdkClientException}
 * caused by an I/O error, the SDK's default retryable exceptions). 4xx answers (a missing key, a refused precondition,
 * access denied) are permanent. Call only where the AWS SDK is on the class path.
 */
final class S3Errors {

    private S3Errors() {
    }

    static boolean isTransient(Throwable t) {
        if (!(t instanceof SdkException e)) {
            return false;
        }
        if (e.retryable() || e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        if (e instanceof SdkServiceException service) {
            return service.statusCode() >= 500 || service.statusCode() == 408 || RetryUtils.isThrottlingException(service)
                    || RetryUtils.isClockSkewException(service);
        }
        return e instanceof SdkClientException && (e.getCause() instanceof IOException || e.getCause() instanceof UncheckedIOException);
    }
}
