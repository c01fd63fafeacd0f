package io.archiver.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/ copied to a temporary directory, broken in one place, rendered through the dev overlay: the
 * validator or the consistency checks must report exactly that kind of mistake.
 */
class BrokenManifestsTest {

    @TempDir
    Path tmp;

    @Test
    void theUnbrokenCopyHasNoProblems() {
        Path deploy = Fixtures.copyDeploy(tmp);
        assertThat(Fixtures.problems(deploy.resolve("overlays/dev"), "archiver-dev")).isEmpty();
    }

    @Test
    void unknownFieldInADeploymentContainer() {
        Path deploy = Fixtures.copyDeploy(tmp);
        Fixtures.replaceFirst(deploy.resolve("base/exporter-service.yaml"), "          image: archiver/exporter-service:0.1.0\n",
                "          image: archiver/exporter-service:0.1.0\n          imagePullPolcy: IfNotPresent\n");
        assertThat(Fixtures.problems(deploy.resolve("overlays/dev"), "archiver-dev"))
                .anySatisfy(p -> assertThat(p).contains("Deployment").contains("exporter-service")
                        .contains("unknown field spec.template.spec.containers[0].imagePullPolcy"));
    }

    @Test
    void aVolumeSharedByTwoServices() {
        Path deploy = Fixtures.copyDeploy(tmp);
        for (String service : new String[] { "exporter-service", "uploader-service" }) {
            Fixtures.replaceFirst(deploy.resolve("base/" + service + ".yaml"), "        - name: tmp\n          emptyDir:",
                    "        - name: shards\n          persistentVolumeClaim:\n            claimName: archiver-shards\n"
                            + "        - name: tmp\n          emptyDir:");
        }
        assertThat(Fixtures.problems(deploy.resolve("overlays/dev"), "archiver-dev")).contains(
                "PersistentVolumeClaim archiver-shards is mounted by [exporter-service, uploader-service]: no volume is shared between services");
    }

    @Test
    void wrongProbePath() {
        Path deploy = Fixtures.copyDeploy(tmp);
        Fixtures.replaceFirst(deploy.resolve("base/uploader-service.yaml"), "path: /q/health/ready", "path: /q/health/readiness");
        assertThat(Fixtures.problems(deploy.resolve("overlays/dev"), "archiver-dev"))
                .contains("Deployment uploader-service: readinessProbe path is /q/health/readiness, expected /q/health/ready");
    }

    @Test
    void kafkaTopicForATopicThatDoesNotExist() {
        Path deploy = Fixtures.copyDeploy(tmp);
        Fixtures.append(deploy.resolve("base/kafka-topics.yaml"), """
                ---
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata:
                  name: archive-rejects
                  labels:
                    strimzi.io/cluster: archiver-kafka
                spec:
                  topicName: archive.rejects
                  partitions: 3
                """);
        assertThat(Fixtures.problems(deploy.resolve("overlays/dev"), "archiver-dev")).contains(
                "KafkaTopic archive-rejects declares archive.rejects, which is not a topic of shared-events Topics (nor its dead-letter topic)");
    }

    static Stream<Arguments> breakages() {
        return Stream.of(
                Arguments.of("a topic of Topics without its KafkaTopic", "base/kafka-topics.yaml", "topicName: archive.runs",
                        "topicName: archive.run", "no KafkaTopic for archive.runs"),
                Arguments.of("an unknown field in a KafkaTopic (JSON schema)", "base/kafka-topics.yaml", "  partitions: 12\n",
                        "  partitions: 12\n  replicationFactor: 3\n", "replicationFactor"),
                Arguments.of("an unknown field in a KEDA trigger (JSON schema)", "base/deleter-service.yaml", "lagThreshold:",
                        "lagThreshhold:", "lagThreshhold"),
                Arguments.of("a KEDA consumer group the service does not use", "base/exporter-service.yaml",
                        "consumerGroup: archiver-exporter", "consumerGroup: archiver-exporters",
                        "ScaledObject exporter-service: consumer group archiver-exporters on archive.batches is not an incoming channel"),
                Arguments.of("a KEDA topic the service does not consume", "base/uploader-service.yaml", "topic: archive.shards",
                        "topic: archive.batches", "ScaledObject uploader-service: consumer group archiver-uploader on archive.batches"),
                Arguments.of("an ARCHIVER_ variable that is no key of the service", "base/exporter-service.yaml",
                        "name: ARCHIVER_EXPORT_SCRATCH_DIR", "name: ARCHIVER_EXPORT_SCRATCH_DIRECTORY",
                        "ARCHIVER_EXPORT_SCRATCH_DIRECTORY maps to no key of exporter-service's application.properties"),
                Arguments.of("a JDBC URL for a service without JDBC", "base/deleter-service.yaml", "name: QUARKUS_DATASOURCE_REACTIVE_URL",
                        "name: QUARKUS_DATASOURCE_JDBC_URL", "deleter-service configures nothing under quarkus.datasource.jdbc."),
                Arguments.of("a reactive URL for the API, which reads over JDBC", "base/api-service.yaml", "name: QUARKUS_DATASOURCE_JDBC_URL",
                        "name: QUARKUS_DATASOURCE_REACTIVE_URL", "api-service configures nothing under quarkus.datasource.reactive."),
                Arguments.of("a token key for a service that verifies no token", "base/scanner-service.yaml",
                        "            - name: QUARKUS_DATASOURCE_JDBC_URL\n", "            - name: MP_JWT_VERIFY_PUBLICKEY\n"
                                + "              value: key\n            - name: QUARKUS_DATASOURCE_JDBC_URL\n",
                        "MP_JWT_VERIFY_PUBLICKEY: scanner-service has no mp.jwt.* configuration"),
                Arguments.of("an API without a readiness probe", "base/api-service.yaml", "readinessProbe:", "readinessProbeX:",
                        "Deployment api-service: no readinessProbe with httpGet"),
                Arguments.of("a container port that is not the service's port", "base/scanner-service.yaml", "containerPort: 8080",
                        "containerPort: 8081", "container port http is 8081 but the service listens on 8080"),
                Arguments.of("QUARKUS_HTTP_PORT that is not the container port", "base/deleter-service.yaml", "value: \"8080\"",
                        "value: \"9090\"", "Deployment deleter-service: container port http is 8080 but the service listens on 9090"),
                Arguments.of("a probe on another port", "base/scanner-service.yaml", "path: /q/health/live\n              port: http",
                        "path: /q/health/live\n              port: 9000", "livenessProbe port 9000 is not the port"),
                Arguments.of("a number where the API wants a string", "base/scanner-service.yaml", "value: \"8080\"", "value: 8080",
                        "does not bind to Deployment"),
                Arguments.of("a string where the API wants an integer", "overlays/dev/patches/exporter-service.yaml", "replicas: 1",
                        "replicas: \"1\"", "does not bind to Deployment"),
                Arguments.of("a literal password", "base/exporter-service.yaml",
                        "            - name: QUARKUS_DATASOURCE_PASSWORD\n"
                                + "              valueFrom:\n"
                                + "                secretKeyRef:\n"
                                + "                  name: archiver-mysql\n"
                                + "                  key: password\n",
                        "            - name: QUARKUS_DATASOURCE_PASSWORD\n"
                                + "              value: hunter2\n",
                        "QUARKUS_DATASOURCE_PASSWORD is a credential and must come from a Secret (secretKeyRef), not literal"),
                Arguments.of("an exporter scratch directory on no emptyDir", "base/exporter-service.yaml",
                        "mountPath: /var/lib/archiver/scratch", "mountPath: /var/lib/archiver/elsewhere",
                        "Deployment exporter-service: the scratch directory /var/lib/archiver/scratch (archiver.export.scratch-dir) is not an emptyDir"),
                Arguments.of("an exporter without the bucket", "base/exporter-service.yaml", "- name: ARCHIVER_S3_BUCKET", "- name: ARCHIVER_S3_BUCKETX",
                        "Deployment exporter-service: ARCHIVER_S3_BUCKET is not set"),
                Arguments.of("a writable root filesystem", "base/uploader-service.yaml", "readOnlyRootFilesystem: true",
                        "readOnlyRootFilesystem: false", "container uploader-service: readOnlyRootFilesystem must be true"),
                Arguments.of("a grace period shorter than a batch", "base/exporter-service.yaml", "terminationGracePeriodSeconds: 930",
                        "terminationGracePeriodSeconds: 60", "terminationGracePeriodSeconds 60 is not longer than the longest batch"),
                Arguments.of("a missing ConfigMap key", "base/configmap.yaml", "  s3-region:", "  s3-regions:",
                        "refers to ConfigMap archiver-config key s3-region, which does not exist"),
                Arguments.of("a trigger that may run twice at once", "base/trigger-cronjob.yaml", "concurrencyPolicy: Forbid",
                        "concurrencyPolicy: Allow", "concurrencyPolicy must be Forbid"),
                Arguments.of("a purge that may run twice at once", "base/purge-cronjob.yaml", "concurrencyPolicy: Forbid",
                        "concurrencyPolicy: Allow", "CronJob archiver-purge: concurrencyPolicy must be Forbid"),
                Arguments.of("a verify without the database's password", "base/verify-cronjob.yaml", "- name: ARCHIVER_DB_PASSWORD",
                        "- name: ARCHIVER_DB_PASSWORT", "CronJob archiver-verify: archivectl needs ARCHIVER_DB_PASSWORD in its env"),
                Arguments.of("another trigger command", "base/trigger-cronjob.yaml", "\"--policy\", \"run\",", "\"--policy\", \"all\",",
                        "the command must be exactly"),
                Arguments.of("a ServiceMonitor on another path", "base/service-monitor.yaml", "path: /q/metrics", "path: /metrics",
                        "no ServiceMonitor scrapes /q/metrics on port http of Service scanner-service"),
                Arguments.of("KEDA beyond the partitions", "overlays/dev/patches/deleter-service-scaledobject.yaml", "maxReplicaCount: 2",
                        "maxReplicaCount: 20", "maxReplicaCount 20 exceeds the 12 partitions of archive.uploads"),
                Arguments.of("more consumers than partitions", "base/deleter-service.yaml",
                        "            - name: ARCHIVER_DELETE_PAUSE_BETWEEN_BATCHES\n", "            - name: ARCHIVER_DELETE_CONCURRENCY\n"
                                + "              value: \"7\"\n            - name: ARCHIVER_DELETE_PAUSE_BETWEEN_BATCHES\n",
                        "maxReplicaCount 2 x concurrency 7 = 14 consumers exceeds the 12 partitions of archive.uploads"),
                Arguments.of("a concurrency below 1", "base/deleter-service.yaml",
                        "            - name: ARCHIVER_DELETE_PAUSE_BETWEEN_BATCHES\n", "            - name: ARCHIVER_DELETE_CONCURRENCY\n"
                                + "              value: \"0\"\n            - name: ARCHIVER_DELETE_PAUSE_BETWEEN_BATCHES\n",
                        "the concurrency of channel uploads is '0', it must be a whole number of at least 1"),
                Arguments.of("no default-deny ingress", "base/network-policies.yaml", "  podSelector: {}\n", "  podSelector:\n    matchLabels:\n      app.kubernetes.io/part-of: archiver\n",
                        "no default-deny ingress NetworkPolicy"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void everyBreakageIsReported(String what, String file, String from, String to, String expected) {
        Path deploy = Fixtures.copyDeploy(tmp);
        Fixtures.replaceFirst(deploy.resolve(file), from, to);
        List<String> problems = Fixtures.problems(deploy.resolve("overlays/dev"), "archiver-dev");
        assertThat(problems).as(what).anySatisfy(p -> assertThat(p).contains(expected));
    }

    @Test
    void anIngressWhoseTrafficTheNetworkPoliciesDrop() {
        Path deploy = Fixtures.copyDeploy(tmp);
        Fixtures.replaceFirst(deploy.resolve("base/network-policies.yaml"), "kubernetes.io/metadata.name: ingress-nginx",
                "kubernetes.io/metadata.name: monitoring");
        assertThat(Fixtures.problems(deploy.resolve("overlays/prod"), "archiver")).contains("Ingress api-service: no NetworkPolicy admits the"
                + " ingress controller to the pods of api-service on port 8080 (the default deny drops every request)");
    }

    @Test
    void anIngressToAPortTheServiceDoesNotHave() {
        Path deploy = Fixtures.copyDeploy(tmp);
        Fixtures.replaceFirst(deploy.resolve("overlays/prod/api-ingress.yaml"), "name: http", "name: https");
        assertThat(Fixtures.problems(deploy.resolve("overlays/prod"), "archiver"))
                .anySatisfy(p -> assertThat(p).startsWith("Ingress api-service: backend api-service port").contains("is not a port of Service"));
    }

    @Test
    void aSecretInTheRepository() {
        Path deploy = Fixtures.copyDeploy(tmp);
        Fixtures.append(deploy.resolve("base/configmap.yaml"), """
                ---
                apiVersion: v1
                kind: Secret
                metadata:
                  name: archiver-mysql
                stringData:
                  password: hunter2
                """);
        assertThat(Fixtures.problems(deploy.resolve("overlays/dev"), "archiver-dev"))
                .anySatisfy(p -> assertThat(p).contains("Secrets are created out of band"));
    }

    @Test
    void anUnknownKind() {
        Path deploy = Fixtures.copyDeploy(tmp);
        Fixtures.append(deploy.resolve("base/configmap.yaml"), """
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: exporter-service
                spec: {}
                """);
        assertThat(Fixtures.problems(deploy.resolve("overlays/dev"), "archiver-dev"))
                .anySatisfy(p -> assertThat(p).contains("no schema for autoscaling/v2 HorizontalPodAutoscaler"));
    }

    @Test
    void anUnsupportedKustomizationFieldFailsTheRender() {
        Path deploy = Fixtures.copyDeploy(tmp);
        Fixtures.append(deploy.resolve("overlays/dev/kustomization.yaml"), "commonLabels:\n  team: archiver\n");
        assertThatThrownBy(() -> Kustomize.build(deploy.resolve("overlays/dev"))).isInstanceOf(KustomizeException.class)
                .hasMessageContaining("unsupported kustomization field 'commonLabels'");
    }

    @Test
    void aPatchForAResourceThatDoesNotExistFailsTheRender() {
        Path deploy = Fixtures.copyDeploy(tmp);
        Fixtures.replaceFirst(deploy.resolve("overlays/prod/patches/uploader-service.yaml"), "name: uploader-service\n",
                "name: upload-service\n");
        assertThatThrownBy(() -> Kustomize.build(deploy.resolve("overlays/prod"))).isInstanceOf(KustomizeException.class)
                .hasMessageContaining("Deployment upload-service matches 0 resources");
    }
}
