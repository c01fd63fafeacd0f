package io.archiver.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.archiver.localstack.faults.TcpProxy;
import io.archiver.localstack.services.ArchiverService;
import io.archiver.localstack.services.ServiceProcess;

/**
 * Readiness reflects the servers each service really uses: stop one, the services that use it go
 * DOWN (and only those), liveness stays UP; start it again, they come back UP. Kafka and the S3
 * server are killed with SIGKILL; MySQL (the machine's own server) is cut off by closing the TCP
 * proxy the services reach it through.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ReadinessTest {

    private static final Duration BOUND = Duration.ofSeconds(120);

    private static SystemStack system;
    private static TcpProxy mysqlProxy;

    @BeforeAll
    static void start() {
        system = SystemStack.start("readiness", 1_000, 0.6, stack -> {
            mysqlProxy = new TcpProxy(stack.mysql().host(), stack.mysql().port()).start();
            String hostPort = "127.0.0.1:" + mysqlProxy.port() + "/" + stack.mysql().database();
            Map<String, String> db = Map.of("QUARKUS_DATASOURCE_REACTIVE_URL", "mysql://" + hostPort, "QUARKUS_DATASOURCE_JDBC_URL",
                    "jdbc:mariadb://" + hostPort);
            Map<ArchiverService, Map<String, String>> overrides = new EnumMap<>(ArchiverService.class);
            for (ArchiverService service : ArchiverService.values()) {
                overrides.put(service, db);
            }
            return overrides;
        });
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
        if (mysqlProxy != null) {
            mysqlProxy.close();
        }
    }

    @Test
    void kafkaDownTakesEveryServiceOutOfReadinessAndBack() {
        system.stack.kafka().kill();
        expectReadiness(EnumSet.allOf(ArchiverService.class), "kafka");
        system.stack.kafka().start();
        expectAllReady();
    }

    /** The exporter too: it puts the shards in S3 (no staging volume shared with the uploader). */
    @Test
    void s3DownTakesEveryServiceOutOfReadinessAndBack() {
        system.stack.s3().kill();
        try {
            expectReadiness(EnumSet.allOf(ArchiverService.class), "s3");
        } finally {
            system.stack.s3().start();
        }
        expectAllReady();
    }

    /** Every service: the uploader too reads its policies from the control database (docs/policies.md). */
    @Test
    void mysqlDownTakesEveryServiceOutOfReadinessAndBack() {
        mysqlProxy.stop();
        try {
            expectReadiness(EnumSet.allOf(ArchiverService.class), "(MySQL|policies)");
        } finally {
            mysqlProxy.start();
        }
        expectAllReady();
    }

    @Test
    @org.junit.jupiter.api.Order(100)
    void noPasswordOrSecretKeyAppearsInAnyLogLineEvenOnConnectionErrors() throws Exception {
        // the outages above made every service log connection errors; run them first when the class runs alone too
        mysqlProxy.stop();
        system.stack.s3().kill();
        expectReadiness(EnumSet.of(ArchiverService.SCANNER, ArchiverService.EXPORTER, ArchiverService.UPLOADER, ArchiverService.DELETER),
                "");
        mysqlProxy.start();
        system.stack.s3().start();
        expectAllReady();
        system.assertNoSecretInAnyLog();
    }

    /** Waits until exactly {@code down} are not ready, naming {@code check} as DOWN, while every service stays live. */
    private static void expectReadiness(Set<ArchiverService> down, String check) {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (ArchiverService service : ArchiverService.values()) {
                ServiceProcess process = system.fleet.get(service);
                HttpResponse<String> ready = process.health("ready");
                if (down.contains(service)) {
                    assertThat(ready.statusCode()).as(service + " readiness").isEqualTo(503);
                    assertThat(ready.body()).as(service + " readiness").containsPattern("(?s)\"name\": \"[^\"]*" + check
                            + "[^\"]*\",\\s*\"status\": \"DOWN\"");
                } else {
                    assertThat(ready.statusCode()).as(service + " readiness: " + ready.body()).isEqualTo(200);
                }
                assertThat(process.health("live").statusCode()).as(service + " liveness").isEqualTo(200);
            }
        });
    }

    private static void expectAllReady() {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (ServiceProcess process : system.fleet.all()) {
                HttpResponse<String> ready = process.health("ready");
                assertThat(ready.statusCode()).as(process.service() + " readiness: " + ready.body()).isEqualTo(200);
                assertThat(process.health("started").statusCode()).as(process.service() + " startup").isEqualTo(200);
            }
        });
    }
}
