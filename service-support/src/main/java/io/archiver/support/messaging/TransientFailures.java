package io.archiver.support.messaging;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Set;

import org.apache.kafka.common.errors.RetriableException;

/**
 * Tells a transient failure (a server that is down, restarting or slow: worth retrying, since every
 * handler is idempotent) from a permanent one (bad input, a policy violation, a conflict: retrying
 * changes nothing, the record is dead-lettered at once so it never stalls its partition).
 */
public final class TransientFailures {

    /** Exceptions of the clients we use that mean "could not reach or finish with the server", by class name. */
    private static final Set<String> TRANSIENT_NAMES = Set.of(
            "software.amazon.awssdk.core.exception.ApiCallTimeoutException",
            "software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException",
            "io.vertx.sqlclient.ClosedConnectionException",
            "io.vertx.core.http.ConnectionPoolTooBusyException",
            "io.netty.channel.ConnectTimeoutException",
            "io.netty.channel.StacklessClosedChannelException",
            "io.smallrye.mutiny.TimeoutException",
            "java.util.concurrent.TimeoutException",
            "org.hibernate.reactive.exception.ConnectionException");

    private TransientFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof SocketException
                    || t instanceof ClosedChannelException || t instanceof InterruptedIOException || t instanceof RetriableException
                    || t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
            if (TRANSIENT_NAMES.contains(t.getClass().getName())) {
                return true;
            }
            if (isServerSide(t) || isUnreachable(t) || isLockConflict(t)) {
                return true;
            }
        }
        return false;
    }

    /** An S3 answer that says "try again": 5xx, 429 (slow down), 408. The AWS SDK need not be on this service's classpath. */
    private static boolean isServerSide(Throwable t) {
        if (!hasType(t, "software.amazon.awssdk.core.exception.SdkServiceException")) {
            return false;
        }
        try {
            int status = (int) t.getClass().getMethod("statusCode").invoke(t);
            return status >= 500 || status == 429 || status == 408;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** The AWS SDK and Vert.x report an unreachable or vanished server with a generic exception and a telling message. */
    private static boolean isUnreachable(Throwable t) {
        if (t.getMessage() == null) {
            return false;
        }
        String message = t.getMessage().toLowerCase(java.util.Locale.ROOT);
        if (hasType(t, "software.amazon.awssdk.core.exception.SdkClientException")) {
            return message.contains("unable to execute http request") || message.contains("connection refused")
                    || message.contains("connection reset") || message.contains("timed out");
        }
        if (t.getClass().getName().startsWith("io.vertx.")) {
            // e.g. "Connection is not active now, current status: CLOSED", "Connection refused", "Pool closed", "Timeout"
            return message.contains("connection refused") || message.contains("closed") || message.contains("not active")
                    || message.contains("timeout") || message.contains("connection reset");
        }
        return false;
    }

    /** A deadlock victim or a lock wait timeout: the transaction was rolled back and may simply run again. */
    private static boolean isLockConflict(Throwable t) {
        String message = t.getMessage();
        return message != null && (message.contains("Deadlock found") || message.contains("Lock wait timeout exceeded"));
    }

    private static boolean hasType(Throwable t, String className) {
        for (Class<?> type = t.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }
}
