package io.archiver.deploycheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A small Kustomize renderer for exactly the features deploy/ uses, so that the manifests can be rendered
 * and checked where no {@code kustomize}/{@code kubectl} binary exists. It supports:
 * <ul>
 * <li>{@code resources}: files (inside the kustomization's directory, as kustomize's default load
 * restrictor requires) and directories holding a kustomization, recursively;</li>
 * <li>{@code patches} with {@code path} only: strategic-merge patches matched by apiVersion, kind and
 * metadata.name (and metadata.namespace when the patch has one), applied before the transformers as kustomize
 * does. Maps merge, {@code null} deletes, lists {@code containers}, {@code initContainers}, {@code env} and
 * {@code volumes} merge by {@code name}, and {@code args}, {@code command}, {@code accessModes},
 * {@code policyTypes} are replaced (their strategy in the Kubernetes API); a list the resource does not have
 * yet is added. Patching any other existing list, any existing list of a custom resource, and any
 * {@code $patch}-style directive fail;</li>
 * <li>{@code namespace}; {@code labels} with {@code pairs}, {@code includeSelectors: false} and
 * {@code includeTemplates}; {@code images} with {@code name}, {@code newName}, {@code newTag}, {@code digest}.</li>
 * </ul>
 * Every other kustomization field (commonLabels, configMapGenerator, replicas, components, ...) and every
 * other option fails with a {@link KustomizeException}: nothing is silently ignored.
 */
public final class Kustomize {

    public static final String API_VERSION = "kustomize.config.k8s.io/v1beta1";

    private static final List<String> KUSTOMIZATION_FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    private static final Set<String> SUPPORTED_FIELDS = Set.of("apiVersion", "kind", "resources", "namespace", "labels", "images",
            "patches");
    private static final Set<String> LABEL_FIELDS = Set.of("pairs", "includeSelectors", "includeTemplates");
    private static final Set<String> IMAGE_FIELDS = Set.of("name", "newName", "newTag", "digest");
    private static final Set<String> PATCH_FIELDS = Set.of("path");

    /** Lists of the Kubernetes API whose strategic-merge key is {@code name}. */
    private static final Set<String> LISTS_MERGED_BY_NAME = Set.of("containers", "initContainers", "env", "volumes");
    /** Lists of the Kubernetes API that a strategic-merge patch replaces whole. */
    private static final Set<String> LISTS_REPLACED = Set.of("args", "command", "accessModes", "policyTypes");

    /** apiVersions whose strategic-merge semantics are those of the Kubernetes API (not custom resources). */
    private static final Set<String> CORE_API_VERSIONS = Set.of("v1", "apps/v1", "batch/v1", "policy/v1", "networking.k8s.io/v1",
            "rbac.authorization.k8s.io/v1", "autoscaling/v2");

    private static final Set<String> CLUSTER_SCOPED_KINDS = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass", "ValidatingWebhookConfiguration",
            "MutatingWebhookConfiguration", "APIService", "IngressClass", "RuntimeClass");
    /** Kinds whose namespace also appears in their body (subjects); the namespace transformer for them is not implemented. */
    private static final Set<String> NAMESPACE_IN_BODY_KINDS = Set.of("RoleBinding", "ClusterRoleBinding",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "CustomResourceDefinition");

    /** Where kustomize's {@code includeTemplates} puts labels, by kind (metadataLabelsFieldSpecs). */
    private static final Map<String, List<List<String>>> TEMPLATE_LABEL_PATHS = Map.of(
            "Deployment", List.of(List.of("spec", "template", "metadata", "labels")),
            "ReplicaSet", List.of(List.of("spec", "template", "metadata", "labels")),
            "DaemonSet", List.of(List.of("spec", "template", "metadata", "labels")),
            "StatefulSet", List.of(List.of("spec", "template", "metadata", "labels")),
            "ReplicationController", List.of(List.of("spec", "template", "metadata", "labels")),
            "Job", List.of(List.of("spec", "template", "metadata", "labels")),
            "CronJob", List.of(List.of("spec", "jobTemplate", "metadata", "labels"),
                    List.of("spec", "jobTemplate", "spec", "template", "metadata", "labels")));

    private Kustomize() {
    }

    /** Renders the kustomization in {@code dir} into its list of resources. */
    public static List<ObjectNode> build(Path dir) {
        return render(dir.toAbsolutePath().normalize(), new ArrayDeque<>());
    }

    private static List<ObjectNode> render(Path dir, Deque<Path> stack) {
        if (stack.contains(dir)) {
            throw new KustomizeException("cycle in resources: " + stack + " -> " + dir);
        }
        stack.push(dir);
        try {
            Path file = kustomizationFile(dir);
            List<ObjectNode> kustomizationDocs = Yaml.readAll(file);
            if (kustomizationDocs.size() != 1) {
                throw new KustomizeException(file + ": expected one document, found " + kustomizationDocs.size());
            }
            ObjectNode k = kustomizationDocs.get(0);
            checkFields(k, SUPPORTED_FIELDS, file, "kustomization field");
            if (k.has("apiVersion") && !API_VERSION.equals(k.get("apiVersion").asText())) {
                throw new KustomizeException(file + ": apiVersion must be " + API_VERSION);
            }
            if (k.has("kind") && !"Kustomization".equals(k.get("kind").asText())) {
                throw new KustomizeException(file + ": kind must be Kustomization (components are not supported)");
            }

            List<ObjectNode> resources = new ArrayList<>();
            for (JsonNode entry : array(k, "resources", file)) {
                if (!entry.isTextual()) {
                    throw new KustomizeException(file + ": resources entries must be paths, got " + entry);
                }
                resources.addAll(loadResource(dir, entry.asText(), stack, file));
            }
            checkUniqueIds(resources, file);

            for (JsonNode entry : array(k, "patches", file)) {
                applyPatch(dir, entry, resources, file);
            }
            if (k.has("namespace")) {
                JsonNode namespace = k.get("namespace");
                if (!namespace.isTextual() || namespace.asText().isBlank()) {
                    throw new KustomizeException(file + ": namespace must be a non-empty string");
                }
                resources.forEach(doc -> setNamespace(doc, namespace.asText()));
                checkUniqueIds(resources, file);
            }
            for (JsonNode entry : array(k, "labels", file)) {
                applyLabels(entry, resources, file);
            }
            for (JsonNode entry : array(k, "images", file)) {
                applyImage(entry, resources, file);
            }
            return resources;
        } finally {
            stack.pop();
        }
    }

    private static Path kustomizationFile(Path dir) {
        List<Path> found = KUSTOMIZATION_FILE_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).toList();
        if (found.isEmpty()) {
            throw new KustomizeException(dir + ": no kustomization.yaml");
        }
        if (found.size() > 1) {
            throw new KustomizeException(dir + ": more than one kustomization file: " + found);
        }
        return found.get(0);
    }

    private static List<ObjectNode> loadResource(Path dir, String entry, Deque<Path> stack, Path file) {
        if (entry.contains("://") || entry.startsWith("github.com/") || entry.startsWith("git@")) {
            throw new KustomizeException(file + ": remote resources are not supported: " + entry);
        }
        Path path = dir.resolve(entry).normalize();
        if (Files.isDirectory(path)) {
            return render(path, stack);
        }
        if (!Files.isRegularFile(path)) {
            throw new KustomizeException(file + ": resource not found: " + entry);
        }
        requireInside(dir, path, file, "resource");
        List<ObjectNode> docs;
        try {
            docs = Yaml.readAll(path);
        } catch (IllegalArgumentException e) {
            throw new KustomizeException(e.getMessage(), e);
        }
        for (ObjectNode doc : docs) {
            if (!doc.path("apiVersion").isTextual() || !doc.path("kind").isTextual() || !doc.path("metadata").path("name").isTextual()) {
                throw new KustomizeException(path + ": every resource needs apiVersion, kind and metadata.name: " + abbreviate(doc));
            }
            if ("Kustomization".equals(doc.get("kind").asText())) {
                throw new KustomizeException(path + ": a Kustomization is not a resource; list its directory instead");
            }
        }
        return docs;
    }

    /** kustomize's default load restrictor: files only from the kustomization's own directory tree. */
    private static void requireInside(Path dir, Path path, Path file, String what) {
        if (!path.startsWith(dir)) {
            throw new KustomizeException(file + ": " + what + " " + path + " is outside " + dir
                    + " (kustomize's load restrictor forbids it; list a directory with a kustomization instead)");
        }
    }

    private static void checkUniqueIds(List<ObjectNode> resources, Path file) {
        Set<String> ids = new HashSet<>();
        for (ObjectNode doc : resources) {
            String id = id(doc);
            if (!ids.add(id)) {
                throw new KustomizeException(file + ": resource " + id + " is defined more than once");
            }
        }
    }

    /** apiVersion/kind/namespace/name. */
    public static String id(JsonNode doc) {
        return doc.path("apiVersion").asText() + " " + doc.path("kind").asText() + " "
                + doc.path("metadata").path("namespace").asText("~") + "/" + doc.path("metadata").path("name").asText();
    }

    // ------------------------------------------------------------------ patches

    private static void applyPatch(Path dir, JsonNode entry, List<ObjectNode> resources, Path file) {
        if (!entry.isObject()) {
            throw new KustomizeException(file + ": patches entries must be mappings with a path, got " + entry);
        }
        checkFields((ObjectNode) entry, PATCH_FIELDS, file, "patches option");
        if (!entry.path("path").isTextual()) {
            throw new KustomizeException(file + ": patches entry without a path");
        }
        Path path = dir.resolve(entry.get("path").asText()).normalize();
        if (!Files.isRegularFile(path)) {
            throw new KustomizeException(file + ": patch not found: " + entry.get("path").asText());
        }
        requireInside(dir, path, file, "patch");
        List<ObjectNode> docs;
        try {
            docs = Yaml.readAll(path);
        } catch (IllegalArgumentException e) {
            throw new KustomizeException(path + ": not a strategic-merge patch (JSON 6902 patches are not supported): "
                    + e.getMessage(), e);
        }
        if (docs.size() != 1) {
            throw new KustomizeException(path + ": a patch file must hold exactly one strategic-merge patch, found " + docs.size());
        }
        ObjectNode patch = docs.get(0);
        String apiVersion = patch.path("apiVersion").asText(null);
        String kind = patch.path("kind").asText(null);
        String name = patch.path("metadata").path("name").asText(null);
        String namespace = patch.path("metadata").path("namespace").asText(null);
        if (apiVersion == null || kind == null || name == null) {
            throw new KustomizeException(path + ": a strategic-merge patch needs apiVersion, kind and metadata.name");
        }
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < resources.size(); i++) {
            ObjectNode r = resources.get(i);
            if (apiVersion.equals(r.path("apiVersion").asText()) && kind.equals(r.path("kind").asText())
                    && name.equals(r.path("metadata").path("name").asText())
                    && (namespace == null || namespace.equals(r.path("metadata").path("namespace").asText(null)))) {
                matches.add(i);
            }
        }
        if (matches.size() != 1) {
            throw new KustomizeException(path + ": the patch for " + apiVersion + " " + kind + " " + name + " matches "
                    + matches.size() + " resources (exactly one expected)");
        }
        boolean core = CORE_API_VERSIONS.contains(apiVersion);
        ObjectNode target = resources.get(matches.get(0)).deepCopy();
        mergeMap(target, patch, kind + " " + name, core, path);
        resources.set(matches.get(0), target);
    }

    private static void mergeMap(ObjectNode target, ObjectNode patch, String where, boolean core, Path file) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            String at = where + "." + key;
            if (key.startsWith("$")) {
                throw new KustomizeException(file + ": patch directive " + key + " at " + at + " is not supported");
            }
            JsonNode value = field.getValue();
            JsonNode existing = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (existing != null && existing.isObject() && value.isObject()) {
                mergeMap((ObjectNode) existing, (ObjectNode) value, at, core, file);
            } else if (value.isArray()) {
                target.set(key, mergeList(key, existing, (ArrayNode) value, at, core, file));
            } else {
                rejectDirectives(value, at, file);
                target.set(key, value.deepCopy());
            }
        }
    }

    private static JsonNode mergeList(String key, JsonNode existing, ArrayNode patch, String at, boolean core, Path file) {
        if (!core && existing != null && !existing.isNull()) {
            throw new KustomizeException(file + ": list " + at + " in a patch of a custom resource: its merge strategy is not"
                    + " known to this renderer (kustomize guesses one); patch scalar fields only");
        }
        rejectDirectives(patch, at, file);
        if (existing == null || existing.isNull()) {
            return patch.deepCopy();
        }
        if (LISTS_REPLACED.contains(key)) {
            return patch.deepCopy();
        }
        if (!LISTS_MERGED_BY_NAME.contains(key)) {
            throw new KustomizeException(file + ": list " + at + " in a patch: its strategic-merge semantics are not implemented"
                    + " here (supported: " + LISTS_MERGED_BY_NAME + " merged by name, " + LISTS_REPLACED + " replaced)");
        }
        if (!existing.isArray()) {
            throw new KustomizeException(file + ": " + at + " is a list in the patch but not in the resource");
        }
        ArrayNode result = ((ArrayNode) existing).deepCopy();
        for (JsonNode item : patch) {
            String name = item.path("name").asText(null);
            if (!item.isObject() || name == null) {
                throw new KustomizeException(file + ": every item of " + at + " needs a name (the merge key)");
            }
            ObjectNode match = null;
            for (JsonNode candidate : result) {
                if (name.equals(candidate.path("name").asText(null))) {
                    match = (ObjectNode) candidate;
                }
            }
            if (match == null) {
                result.add(item.deepCopy());
            } else {
                mergeMap(match, (ObjectNode) item, at + "[" + name + "]", true, file);
            }
        }
        return result;
    }

    private static void rejectDirectives(JsonNode node, String at, Path file) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if (f.getKey().startsWith("$")) {
                    throw new KustomizeException(file + ": patch directive " + f.getKey() + " at " + at + " is not supported");
                }
                rejectDirectives(f.getValue(), at + "." + f.getKey(), file);
            });
        } else if (node.isArray()) {
            node.forEach(item -> rejectDirectives(item, at + "[]", file));
        }
    }

    // ------------------------------------------------------------------ transformers

    private static void setNamespace(ObjectNode doc, String namespace) {
        String kind = doc.path("kind").asText();
        if (NAMESPACE_IN_BODY_KINDS.contains(kind)) {
            throw new KustomizeException(kind + " " + doc.path("metadata").path("name").asText()
                    + ": the namespace transformer for this kind (namespaces in its body) is not implemented");
        }
        if (CLUSTER_SCOPED_KINDS.contains(kind)) {
            return;
        }
        ((ObjectNode) doc.get("metadata")).put("namespace", namespace);
    }

    private static void applyLabels(JsonNode entry, List<ObjectNode> resources, Path file) {
        if (!entry.isObject()) {
            throw new KustomizeException(file + ": labels entries must be mappings, got " + entry);
        }
        checkFields((ObjectNode) entry, LABEL_FIELDS, file, "labels option");
        if (entry.path("includeSelectors").asBoolean(false)) {
            throw new KustomizeException(file + ": labels with includeSelectors: true are not supported (selectors are immutable;"
                    + " put selector labels in the base)");
        }
        boolean templates = entry.path("includeTemplates").asBoolean(false);
        JsonNode pairs = entry.get("pairs");
        if (pairs == null || !pairs.isObject() || pairs.isEmpty()) {
            throw new KustomizeException(file + ": labels entry without pairs");
        }
        pairs.fields().forEachRemaining(p -> {
            if (!p.getValue().isTextual()) {
                throw new KustomizeException(file + ": label " + p.getKey() + " must have a string value");
            }
        });
        for (ObjectNode doc : resources) {
            putAll(objectAt(doc, List.of("metadata", "labels")), (ObjectNode) pairs);
            if (templates) {
                for (List<String> path : TEMPLATE_LABEL_PATHS.getOrDefault(doc.path("kind").asText(), List.of())) {
                    putAll(objectAt(doc, path), (ObjectNode) pairs);
                }
            }
        }
    }

    private static void putAll(ObjectNode target, ObjectNode pairs) {
        pairs.fields().forEachRemaining(p -> target.set(p.getKey(), p.getValue().deepCopy()));
    }

    private static ObjectNode objectAt(ObjectNode root, List<String> path) {
        ObjectNode node = root;
        for (String key : path) {
            JsonNode child = node.get(key);
            if (child == null || child.isNull()) {
                child = node.putObject(key);
            }
            if (!child.isObject()) {
                throw new KustomizeException(Kustomize.id(root) + ": " + String.join(".", path) + " is not a mapping");
            }
            node = (ObjectNode) child;
        }
        return node;
    }

    private static void applyImage(JsonNode entry, List<ObjectNode> resources, Path file) {
        if (!entry.isObject()) {
            throw new KustomizeException(file + ": images entries must be mappings, got " + entry);
        }
        checkFields((ObjectNode) entry, IMAGE_FIELDS, file, "images option");
        String name = entry.path("name").asText(null);
        if (name == null) {
            throw new KustomizeException(file + ": images entry without a name");
        }
        if (entry.has("newTag") && entry.has("digest")) {
            throw new KustomizeException(file + ": images entry " + name + " has both newTag and digest");
        }
        for (ObjectNode doc : resources) {
            rewriteImages(doc, entry, name);
        }
    }

    private static void rewriteImages(JsonNode node, JsonNode entry, String name) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                if ((f.getKey().equals("containers") || f.getKey().equals("initContainers")) && f.getValue().isArray()) {
                    for (JsonNode container : f.getValue()) {
                        if (container.isObject() && container.path("image").isTextual()) {
                            String rewritten = rewrite(container.get("image").asText(), entry, name);
                            ((ObjectNode) container).set("image", TextNode.valueOf(rewritten));
                        }
                    }
                }
                rewriteImages(f.getValue(), entry, name);
            });
        } else if (node.isArray()) {
            node.forEach(item -> rewriteImages(item, entry, name));
        }
    }

    /** {@code image} with the name, tag or digest of {@code entry} when its name is {@code name}. */
    static String rewrite(String image, JsonNode entry, String name) {
        String digest = null;
        String rest = image;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (!rest.equals(name)) {
            return image;
        }
        String newName = entry.path("newName").asText(rest);
        if (entry.has("digest")) {
            return newName + "@" + entry.get("digest").asText();
        }
        if (entry.has("newTag")) {
            return newName + ":" + entry.get("newTag").asText();
        }
        return newName + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    // ------------------------------------------------------------------ helpers

    private static void checkFields(ObjectNode node, Set<String> supported, Path file, String what) {
        node.fieldNames().forEachRemaining(name -> {
            if (!supported.contains(name)) {
                throw new KustomizeException(file + ": unsupported " + what + " '" + name + "' (this renderer supports only "
                        + new java.util.TreeSet<>(supported) + ")");
            }
        });
    }

    private static Iterable<JsonNode> array(ObjectNode k, String field, Path file) {
        JsonNode value = k.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new KustomizeException(file + ": " + field + " must be a list");
        }
        return value;
    }

    private static String abbreviate(JsonNode doc) {
        String text = doc.toString();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
