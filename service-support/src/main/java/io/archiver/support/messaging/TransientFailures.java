package io.archiver.support.messaging;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

import org.apache.kafka.common.errors.RetriableException;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;

/**
 * Tells a transient failure (a server that is down, restarting or slow, a lock conflict: worth retrying, since every
 * handler is idempotent) from a permanent one (bad input, a policy violation, a conflict: retrying changes nothing, the
 * record is dead-lettered at once so it never stalls its partition). Decided by types and error codes only, never by
 * message text: the network's and the clients' exception types, MySQL's error codes ({@link MySqlErrors}), and the AWS
 * SDK's own classification of S3 failures ({@link S3Errors}). Any failure in the cause chain that is transient makes the
 * whole transient.
 */
public final class TransientFailures {

    private static final boolean SQL_CLIENT = present("io.vertx.mysqlclient.MySQLException");
    private static final boolean AWS_SDK = present("software.amazon.awssdk.core.exception.SdkException");

    private TransientFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isTransientType(t) || MySqlErrors.isTransientJdbc(t) || (SQL_CLIENT && MySqlErrors.isTransientVertx(t))
                    || (AWS_SDK && S3Errors.isTransient(t))) {
                return true;
            }
        }
        return false;
    }

    /** The network, Kafka, Vert.x and Mutiny saying "could not reach or finish with the server (in time)". */
    private static boolean isTransientType(Throwable t) {
        return t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                || t instanceof SocketException || t instanceof ClosedChannelException || t instanceof InterruptedIOException
                || t instanceof RetriableException // Kafka: its timeouts, disconnects and leader changes
                || t instanceof java.util.concurrent.TimeoutException || t instanceof io.smallrye.mutiny.TimeoutException
                || t instanceof ConnectionPoolTooBusyException // a Vert.x pool (the SQL client's too) with its wait queue full
                // Vert.x reports a lost connection (closed, not active, its pending requests failed, its pool closed) with these two
                // bare types and no code; a server's answer is never one of them (the SQL client's are DatabaseException subclasses)
                || t instanceof NoStackTraceThrowable || t.getClass() == VertxException.class;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, TransientFailures.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
