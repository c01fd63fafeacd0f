package io.archiver.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The renderer on small kustomizations: what it supports, and that everything else fails loudly. */
class KustomizeTest {

    @TempDir
    Path tmp;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
              labels:
                app: app
            spec:
              selector:
                matchLabels:
                  app: app
              template:
                metadata:
                  labels:
                    app: app
                spec:
                  containers:
                    - name: app
                      image: example/app:1.0
                      args: ["--a"]
                      env:
                        - name: A
                          value: "1"
                        - name: B
                          value: "2"
                    - name: sidecar
                      image: registry.local:5000/example/sidecar@sha256:abc
                  volumes:
                    - name: tmp
                      emptyDir: {}
            """;

    private Path base() {
        Fixtures.write(tmp.resolve("base/kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - deployment.yaml
                  - more
                """);
        Fixtures.write(tmp.resolve("base/deployment.yaml"), DEPLOYMENT);
        Fixtures.write(tmp.resolve("base/more/kustomization.yaml"), "resources:\n  - cm.yaml\n");
        Fixtures.write(tmp.resolve("base/more/cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: config
                data:
                  a: "1"
                ---
                # a document of comments only is skipped
                """);
        return tmp.resolve("base");
    }

    private Path overlay(String kustomization) {
        base();
        Fixtures.write(tmp.resolve("overlay/kustomization.yaml"), kustomization);
        return tmp.resolve("overlay");
    }

    @Test
    void rendersNestedResourcesWithNamespaceLabelsImagesAndPatches() {
        Fixtures.write(tmp.resolve("overlay/patch.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                spec:
                  replicas: 3
                  template:
                    spec:
                      containers:
                        - name: app
                          args: ["--b"]
                          env:
                            - name: B
                              value: "two"
                            - name: C
                              value: "3"
                      volumes:
                        - name: data
                          emptyDir: {}
                """);
        Fixtures.write(tmp.resolve("overlay/cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: config
                data:
                  a: null
                  b: "2"
                """);
        List<ObjectNode> docs = Kustomize.build(overlay("""
                namespace: ns
                resources:
                  - ../base
                labels:
                  - pairs:
                      env: dev
                    includeTemplates: true
                images:
                  - name: example/app
                    newName: registry.example/app
                    newTag: "2.0"
                  - name: registry.local:5000/example/sidecar
                    digest: sha256:def
                patches:
                  - path: patch.yaml
                  - path: cm.yaml
                """));
        assertThat(docs).hasSize(2);
        ObjectNode deployment = docs.get(0);
        assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo("ns");
        assertThat(deployment.at("/metadata/labels/env").asText()).isEqualTo("dev");
        assertThat(deployment.at("/spec/template/metadata/labels/env").asText()).isEqualTo("dev");
        assertThat(deployment.at("/spec/selector/matchLabels").size()).isEqualTo(1);
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("registry.example/app:2.0");
        assertThat(deployment.at("/spec/template/spec/containers/1/image").asText())
                .isEqualTo("registry.local:5000/example/sidecar@sha256:def");
        assertThat(deployment.at("/spec/template/spec/containers/0/args").toString()).isEqualTo("[\"--b\"]");
        assertThat(deployment.at("/spec/template/spec/containers/0/env").toString())
                .isEqualTo("[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"two\"},{\"name\":\"C\",\"value\":\"3\"}]");
        assertThat(deployment.at("/spec/template/spec/volumes").findValuesAsText("name")).containsExactly("tmp", "data");
        ObjectNode configMap = docs.get(1);
        assertThat(configMap.at("/metadata/namespace").asText()).isEqualTo("ns");
        assertThat(configMap.at("/data").toString()).isEqualTo("{\"b\":\"2\"}");
    }

    @Test
    void imageRewriteKeepsWhatTheEntryDoesNotChange() {
        ObjectNode entry = (ObjectNode) Yaml.readAll("name: a/b\nnewName: c/d\n", "t").get(0);
        assertThat(Kustomize.rewrite("a/b:1", entry, "a/b")).isEqualTo("c/d:1");
        assertThat(Kustomize.rewrite("a/b", entry, "a/b")).isEqualTo("c/d");
        assertThat(Kustomize.rewrite("a/bc:1", entry, "a/b")).isEqualTo("a/bc:1");
    }

    @Test
    void unsupportedKustomizationFieldsFail() {
        for (String field : List.of("commonLabels:\n  a: b\n", "configMapGenerator: []\n", "replicas: []\n", "components: []\n",
                "patchesStrategicMerge: []\n", "namePrefix: x-\n")) {
            assertThatThrownBy(() -> Kustomize.build(overlay("resources:\n  - ../base\n" + field)))
                    .as(field).isInstanceOf(KustomizeException.class).hasMessageContaining("unsupported kustomization field");
        }
    }

    @Test
    void unsupportedOptionsFail() {
        assertThatThrownBy(() -> Kustomize.build(overlay("resources: [../base]\nlabels:\n  - pairs: {a: b}\n    includeSelectors: true\n")))
                .hasMessageContaining("includeSelectors: true are not supported");
        assertThatThrownBy(() -> Kustomize.build(overlay("resources: [../base]\nlabels:\n  - pairs: {a: b}\n    fields: []\n")))
                .hasMessageContaining("unsupported labels option 'fields'");
        assertThatThrownBy(() -> Kustomize.build(overlay("resources: [../base]\nimages:\n  - name: a\n    newTag: b\n    digest: c\n")))
                .hasMessageContaining("both newTag and digest");
        assertThatThrownBy(() -> Kustomize.build(overlay("resources: [../base]\npatches:\n  - path: p.yaml\n    target: {kind: Deployment}\n")))
                .hasMessageContaining("unsupported patches option 'target'");
        assertThatThrownBy(() -> Kustomize.build(overlay("resources: [../base]\npatches:\n  - patch: |-\n      x: y\n")))
                .hasMessageContaining("unsupported patches option 'patch'");
        assertThatThrownBy(() -> Kustomize.build(overlay("resources:\n  - https://github.com/x/y//deploy\n")))
                .hasMessageContaining("remote resources are not supported");
        assertThatThrownBy(() -> Kustomize.build(overlay("resources:\n  - ../base/deployment.yaml\n")))
                .hasMessageContaining("load restrictor");
        assertThatThrownBy(() -> Kustomize.build(overlay("resources:\n  - ../base\n  - ../base/more\n")))
                .hasMessageContaining("defined more than once");
    }

    @Test
    void patchesThatCannotBeAppliedFaithfullyFail() {
        String kustomization = "resources: [../base]\npatches:\n  - path: patch.yaml\n";
        String head = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n";
        Path overlay = overlay(kustomization);
        Fixtures.write(tmp.resolve("overlay/patch.yaml"), head + "      containers:\n        - name: app\n          ports:\n            - containerPort: 80\n");
        Fixtures.write(tmp.resolve("base/deployment.yaml"), DEPLOYMENT.replace("      args: [\"--a\"]\n", "      args: [\"--a\"]\n          ports:\n            - containerPort: 8080\n"));
        assertThatThrownBy(() -> Kustomize.build(overlay)).hasMessageContaining("its strategic-merge semantics are not implemented");

        Fixtures.write(tmp.resolve("overlay/patch.yaml"), head + "      containers:\n        - name: app\n          $patch: delete\n");
        assertThatThrownBy(() -> Kustomize.build(overlay(kustomization))).hasMessageContaining("patch directive $patch");

        Fixtures.write(tmp.resolve("overlay/patch.yaml"), "- op: replace\n  path: /spec/replicas\n  value: 2\n");
        assertThatThrownBy(() -> Kustomize.build(overlay(kustomization))).hasMessageContaining("JSON 6902 patches are not supported");

        Fixtures.write(tmp.resolve("overlay/patch.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\nspec:\n  replicas: 2\n");
        assertThatThrownBy(() -> Kustomize.build(overlay(kustomization))).hasMessageContaining("matches 0 resources");

        Fixtures.write(tmp.resolve("overlay/patch.yaml"), "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: app\nspec:\n  replicas: 2\n");
        assertThatThrownBy(() -> Kustomize.build(overlay(kustomization))).hasMessageContaining("matches 0 resources");
    }

    @Test
    void listsOfCustomResourcesAreNotGuessed() {
        base();
        Fixtures.write(tmp.resolve("base/so.yaml"), """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: app
                spec:
                  scaleTargetRef: {name: app}
                  triggers:
                    - type: kafka
                      metadata: {topic: a}
                """);
        Fixtures.write(tmp.resolve("base/kustomization.yaml"), "resources:\n  - deployment.yaml\n  - so.yaml\n");
        Fixtures.write(tmp.resolve("overlay/kustomization.yaml"), "resources: [../base]\npatches:\n  - path: patch.yaml\n");
        Fixtures.write(tmp.resolve("overlay/patch.yaml"), """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: app
                spec:
                  triggers:
                    - type: kafka
                      metadata: {topic: b}
                """);
        assertThatThrownBy(() -> Kustomize.build(tmp.resolve("overlay"))).hasMessageContaining("custom resource");

        Fixtures.write(tmp.resolve("overlay/patch.yaml"), "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: app\nspec:\n  maxReplicaCount: 4\n");
        List<ObjectNode> docs = Kustomize.build(tmp.resolve("overlay"));
        assertThat(docs.get(1).at("/spec/maxReplicaCount").asInt()).isEqualTo(4);
        assertThat(docs.get(1).at("/spec/triggers/0/metadata/topic").asText()).isEqualTo("a");
    }

    @Test
    void duplicateYamlKeysFail() {
        base();
        Fixtures.write(tmp.resolve("base/more/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\ndata:\n  a: \"1\"\n  a: \"2\"\n");
        assertThatThrownBy(() -> Kustomize.build(tmp.resolve("base"))).hasMessageContaining("Duplicate field 'a'");
    }
}
