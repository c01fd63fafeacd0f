package io.archiver.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.archiver.support.policy.PolicyViolation;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.ClosedConnectionException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

class TransientFailuresTest {

    @Test
    void aDeadlockOrALockWaitTimeoutIsRetriedByItsErrorCodeWhateverItsMessage() {
        assertThat(TransientFailures.isTransient(new MySQLException("any words", 1213, "40001"))).isTrue();
        assertThat(TransientFailures.isTransient(new MySQLException("", 1205, "HY000"))).isTrue();
        assertThat(TransientFailures.isTransient(new CompletionException(new MySQLException("x", 2013, "HY000")))).as("in a cause chain")
                .isTrue();
    }

    @Test
    void otherServerErrorsArePermanentEvenWhenTheirMessageSoundsTransient() {
        assertThat(TransientFailures.isTransient(new MySQLException("Deadlock found; Lock wait timeout exceeded", 1064, "42000"))).isFalse();
        assertThat(TransientFailures.isTransient(new MySQLException("Table 'run' doesn't exist", 1146, "42S02"))).isFalse();
        assertThat(TransientFailures.isTransient(new IllegalStateException("Connection refused: connection closed, timed out"))).isFalse();
    }

    @Test
    void jdbcErrorsAreClassifiedByCodeAndSqlState() {
        assertThat(TransientFailures.isTransient(new SQLException("x", "HY000", 1213))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("x", "08S01", 0))).as("connection failure").isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("x", "40001", 0))).as("serialization failure").isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("Deadlock found", "23000", 1062))).as("duplicate key").isFalse();
    }

    @Test
    void aLostConnectionOfTheVertxClientIsTransient() {
        assertThat(TransientFailures.isTransient(ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(TransientFailures.isTransient(new CompletionException(new NoStackTraceThrowable("any")))).isTrue();
        assertThat(TransientFailures.isTransient(new VertxException("any", true))).isTrue();
        assertThat(TransientFailures.isTransient(new ConnectException("x"))).isTrue();
    }

    @Test
    void s3FailuresAreClassifiedAsTheSdkClassifiesThem() {
        assertThat(TransientFailures.isTransient(SdkServiceException.builder().statusCode(503).build())).isTrue();
        assertThat(TransientFailures.isTransient(SdkServiceException.builder().statusCode(500).build())).isTrue();
        assertThat(TransientFailures.isTransient(SdkServiceException.builder().statusCode(429).build())).as("throttled").isTrue();
        assertThat(TransientFailures.isTransient(SdkServiceException.builder().statusCode(404).message("timed out").build())).isFalse();
        assertThat(TransientFailures.isTransient(SdkServiceException.builder().statusCode(412).build())).isFalse();
        assertThat(TransientFailures.isTransient(SdkClientException.create("Unable to execute HTTP request", new SocketTimeoutException())))
                .isTrue();
        assertThat(TransientFailures.isTransient(SdkClientException.create("Unable to execute HTTP request: connection refused"))).isFalse();
        assertThat(TransientFailures.isTransient(software.amazon.awssdk.core.exception.RetryableException.create("x"))).as("marked retryable")
                .isTrue();
        assertThat(TransientFailures.isTransient(ApiCallAttemptTimeoutException.create(1000))).isTrue();
    }

    @Test
    void aPolicyViolationOrBadInputIsPermanent() {
        assertThat(TransientFailures.isTransient(new PolicyViolation("FOREIGN_BUCKET", "timeout"))).isFalse();
        assertThat(TransientFailures.isTransient(new IllegalArgumentException("bad input", new IllegalStateException())))
                .isFalse();
    }
}
