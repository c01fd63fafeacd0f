package io.archiver.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** deploy/base and both overlays render, validate strictly, and agree with the code. */
class RenderedManifestsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "base, ''", "overlays/dev, archiver-dev", "overlays/prod, archiver" })
    void rendersValidAndConsistent(String dir, String namespace) {
        List<String> problems = Fixtures.problems(Fixtures.DEPLOY.resolve(dir), namespace.isEmpty() ? null : namespace);
        assertThat(problems).isEmpty();
    }

    @Test
    void baseHoldsEveryKindTheDeploymentNeeds() {
        List<ObjectNode> docs = Kustomize.build(Fixtures.DEPLOY.resolve("base"));
        Map<String, Long> kinds = docs.stream().collect(Collectors.groupingBy(d -> d.path("kind").asText(), Collectors.counting()));
        assertThat(kinds).containsEntry("Deployment", 5L).containsEntry("Service", 5L).containsEntry("PodDisruptionBudget", 5L)
                .containsEntry("ScaledObject", 3L).containsEntry("KafkaTopic", 13L).containsEntry("CronJob", 3L)
                .containsEntry("ServiceMonitor", 1L).containsEntry("ServiceAccount", 1L).doesNotContainKey("PersistentVolumeClaim")
                .containsEntry("ConfigMap", 1L).containsEntry("NetworkPolicy", 4L).doesNotContainKey("Secret");
        assertThat(new TreeSet<>(kinds.keySet()))
                .allMatch(kind -> ManifestValidator.supportedTypes().stream().anyMatch(t -> t.endsWith(" " + kind)));
    }

    @Test
    void devOverlayIsSmallInItsOwnNamespace() {
        Map<String, JsonNode> docs = byId(Kustomize.build(Fixtures.DEPLOY.resolve("overlays/dev")));
        assertThat(docs.values()).allMatch(d -> d.path("metadata").path("namespace").asText().equals("archiver-dev"));
        JsonNode exporter = docs.get("Deployment/exporter-service");
        assertThat(exporter.at("/spec/replicas").asInt()).isEqualTo(1);
        JsonNode container = exporter.at("/spec/template/spec/containers/0");
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("512Mi");
        assertThat(container.at("/image").asText()).isEqualTo("archiver/exporter-service:0.1.0");
        assertThat(exporter.at("/metadata/labels/archiver.io~1environment").asText()).isEqualTo("dev");
        assertThat(exporter.at("/spec/template/metadata/labels/archiver.io~1environment").asText()).isEqualTo("dev");
        // labels never reach selectors (they are immutable)
        assertThat(exporter.at("/spec/selector/matchLabels").size()).isEqualTo(1);
        // the dev patch adds the MinIO endpoint to the uploader's env and keeps the base variables (merge by name)
        JsonNode uploaderEnv = docs.get("Deployment/uploader-service").at("/spec/template/spec/containers/0/env");
        Set<String> names = new TreeSet<>();
        uploaderEnv.forEach(e -> names.add(e.path("name").asText()));
        assertThat(names).contains("QUARKUS_S3_ENDPOINT_OVERRIDE", "QUARKUS_S3_PATH_STYLE_ACCESS", "ARCHIVER_S3_BUCKET",
                "QUARKUS_HTTP_PORT");
        assertThat(docs.get("ConfigMap/archiver-config").at("/data/s3-endpoint").asText()).isEqualTo("http://minio:9000");
        assertThat(docs.get("ConfigMap/archiver-config").at("/data/kafka-bootstrap-servers").asText())
                .isEqualTo("archiver-kafka-kafka-bootstrap.kafka.svc:9092");
        assertThat(docs.get("ScaledObject/uploader-service").at("/spec/maxReplicaCount").asInt()).isEqualTo(2);
        // no shared volume: the exporter puts shards in S3 and writes them first to an emptyDir of its own
        assertThat(docs.keySet()).noneMatch(id -> id.startsWith("PersistentVolumeClaim/"));
        JsonNode exporterScratch = exporter.at("/spec/template/spec/volumes");
        assertThat(exporterScratch.findValuesAsText("name")).contains("scratch");
        assertThat(docs).containsKey("NetworkPolicy/archiver-egress-minio");
        assertThat(docs.get("CronJob/archiver-trigger").at("/spec/jobTemplate/spec/template/metadata/labels/archiver.io~1environment")
                .asText()).isEqualTo("dev");
    }

    @Test
    void prodOverlayIsLargerInNamespaceArchiver() {
        Map<String, JsonNode> prod = byId(Kustomize.build(Fixtures.DEPLOY.resolve("overlays/prod")));
        Map<String, JsonNode> dev = byId(Kustomize.build(Fixtures.DEPLOY.resolve("overlays/dev")));
        assertThat(prod.values()).allMatch(d -> d.path("metadata").path("namespace").asText().equals("archiver"));
        for (String service : List.of("exporter-service", "uploader-service", "deleter-service")) {
            assertThat(prod.get("Deployment/" + service).at("/spec/replicas").asInt())
                    .isGreaterThan(dev.get("Deployment/" + service).at("/spec/replicas").asInt());
            assertThat(prod.get("ScaledObject/" + service).at("/spec/maxReplicaCount").asInt())
                    .isGreaterThan(dev.get("ScaledObject/" + service).at("/spec/maxReplicaCount").asInt());
        }
        assertThat(prod.get("Deployment/deleter-service").at("/spec/template/spec/containers/0/resources/limits/memory").asText())
                .isEqualTo("1Gi");
        assertThat(prod.get("Deployment/uploader-service").at("/spec/template/spec/containers/0/env").findValuesAsText("name"))
                .doesNotContain("QUARKUS_S3_ENDPOINT_OVERRIDE");
        assertThat(prod).doesNotContainKey("NetworkPolicy/archiver-egress-minio");
    }

    @Test
    void renderedYamlRoundTrips() {
        List<ObjectNode> docs = Kustomize.build(Fixtures.DEPLOY.resolve("overlays/prod"));
        String yaml = Yaml.writeAll(docs);
        assertThat(Yaml.readAll(yaml, "rendered")).isEqualTo(docs);
    }

    private static Map<String, JsonNode> byId(List<ObjectNode> docs) {
        return docs.stream().collect(Collectors.toMap(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText(),
                Function.identity()));
    }

    static Path base() {
        return Fixtures.DEPLOY.resolve("base");
    }
}
