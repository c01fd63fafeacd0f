package io.archiver.deploycheck;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Strict structural validation of rendered manifests, as an API server would do it and stricter:
 * <ul>
 * <li>Kubernetes kinds are bound to fabric8's kubernetes-model classes with unknown properties, scalar
 * coercion (a number where a string belongs, {@code "2"} where an integer belongs) and duplicate keys
 * rejected. fabric8's classes keep unknown fields in {@code additionalProperties} instead of failing, so
 * the whole object graph is walked and any non-empty {@code additionalProperties} is an error; the
 * re-serialised tree must also hold every field of the input (nothing silently dropped).</li>
 * <li>Custom resources (KafkaTopic, ScaledObject, ServiceMonitor) are validated against the JSON schemas in
 * {@code /schemas}, which allow only the fields deploy/ uses ({@code additionalProperties: false}).</li>
 * <li>Any other apiVersion/kind, and any Secret (Secrets are created out of band, never kept in the
 * repository), is an error.</li>
 * <li>Names, labels, container, port and environment variable names follow the API's syntax rules.</li>
 * </ul>
 */
public final class ManifestValidator {

    private static final Map<String, Class<?>> KINDS = Map.of(
            "v1 ConfigMap", ConfigMap.class,
            "v1 Service", Service.class,
            "v1 ServiceAccount", ServiceAccount.class,
            "v1 PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1 Deployment", Deployment.class,
            "batch/v1 CronJob", CronJob.class,
            "batch/v1 Job", Job.class,
            "policy/v1 PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1 NetworkPolicy", NetworkPolicy.class,
            "networking.k8s.io/v1 Ingress", Ingress.class);

    private static final String SCHEMA_BASE = "https://archiver.io/deploy-check/";
    private static final Map<String, String> CUSTOM_RESOURCE_SCHEMAS = Map.of(
            "kafka.strimzi.io/v1beta2 KafkaTopic", "kafkatopic.schema.json",
            "keda.sh/v1alpha1 ScaledObject", "scaledobject.schema.json",
            "monitoring.coreos.com/v1 ServiceMonitor", "servicemonitor.schema.json");

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> NAME_IS_DNS_1035 = Set.of("Service");

    private final ObjectMapper strict;
    private final JsonSchemaFactory schemas;

    public ManifestValidator() {
        strict = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // The API server rejects 8080 where a string belongs (env values, ConfigMap data, annotations...).
        strict.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(SCHEMA_BASE, "classpath:schemas/")));
    }

    /** Every problem of every document, each prefixed with the document's id; empty when all are valid. */
    public List<String> validate(List<? extends JsonNode> docs) {
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : docs) {
            String id = Kustomize.id(doc);
            for (String problem : validate(doc)) {
                problems.add(id + ": " + problem);
            }
        }
        return problems;
    }

    /** The problems of one document. */
    public List<String> validate(JsonNode doc) {
        List<String> problems = new ArrayList<>();
        String type = doc.path("apiVersion").asText() + " " + doc.path("kind").asText();
        if ("Secret".equals(doc.path("kind").asText())) {
            problems.add("Secrets are created out of band (docs/deploy.md) and never kept in the repository");
            return problems;
        }
        Class<?> model = KINDS.get(type);
        String schema = CUSTOM_RESOURCE_SCHEMAS.get(type);
        if (model != null) {
            bind(doc, model, problems);
        } else if (schema != null) {
            JsonSchema jsonSchema = schemas.getSchema(SchemaLocation.of(SCHEMA_BASE + schema));
            for (ValidationMessage message : jsonSchema.validate(doc)) {
                problems.add(message.getMessage());
            }
        } else {
            problems.add("no schema for " + type + " (known: " + KINDS.keySet() + ", " + CUSTOM_RESOURCE_SCHEMAS.keySet() + ")");
            return problems;
        }
        checkSyntax(doc, problems);
        return problems;
    }

    // ------------------------------------------------------------------ fabric8 binding

    private void bind(JsonNode doc, Class<?> model, List<String> problems) {
        Object bound;
        try {
            bound = strict.treeToValue(doc, model);
        } catch (Exception e) {
            problems.add("does not bind to " + model.getSimpleName() + ": " + firstLine(e.getMessage()));
            return;
        }
        walkAdditionalProperties(bound, "", problems, new IdentityHashMap<>());
        JsonNode back = strict.valueToTree(bound);
        compare(doc, back, "", problems);
    }

    /** fabric8 keeps unknown fields in additionalProperties: any entry there is a field the API does not know. */
    private static void walkAdditionalProperties(Object value, String path, List<String> problems, IdentityHashMap<Object, Boolean> seen) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?> || value.getClass().isPrimitive() || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object item : collection) {
                walkAdditionalProperties(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                walkAdditionalProperties(entry.getValue(), path + "." + entry.getKey(), problems, seen);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> cls = value.getClass(); cls != null && cls != Object.class; cls = cls.getSuperclass()) {
            for (Field field : cls.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object child;
                try {
                    field.setAccessible(true);
                    child = field.get(value);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot read " + cls.getName() + "." + field.getName(), e);
                }
                if (field.getName().equals("additionalProperties") && child instanceof Map<?, ?> extra) {
                    for (Object key : extra.keySet()) {
                        problems.add("unknown field " + (path.isEmpty() ? "" : path.substring(1) + ".") + key
                                + " (not in " + value.getClass().getSimpleName() + ")");
                    }
                    continue;
                }
                JsonProperty property = field.getAnnotation(JsonProperty.class);
                String name = property != null && !property.value().isEmpty() ? property.value() : field.getName();
                walkAdditionalProperties(child, path + "." + name, problems, seen);
            }
        }
    }

    /** Every field of {@code input} must come back from the model with the same value. */
    private static void compare(JsonNode input, JsonNode output, String path, List<String> problems) {
        if (input.isObject()) {
            if (!output.isObject()) {
                problems.add("field " + display(path) + " was not kept as a mapping by the model");
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = input.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode back = output.get(field.getKey());
                String at = path + "." + field.getKey();
                if (back == null) {
                    // Empty lists and maps are omitted when written back; they mean the same as absent.
                    if (!(field.getValue().isContainerNode() && field.getValue().isEmpty())) {
                        problems.add("field " + display(at) + " is dropped by the model (unknown or misplaced)");
                    }
                    continue;
                }
                compare(field.getValue(), back, at, problems);
            }
        } else if (input.isArray()) {
            if (!output.isArray() || output.size() != input.size()) {
                problems.add("list " + display(path) + " was not kept by the model");
                return;
            }
            for (int i = 0; i < input.size(); i++) {
                compare(input.get(i), output.get(i), path + "[" + i + "]", problems);
            }
        } else if (!input.asText().equals(output.asText())) {
            problems.add("field " + display(path) + " reads back as " + output + " instead of " + input);
        }
    }

    // ------------------------------------------------------------------ syntax of names

    private static void checkSyntax(JsonNode doc, List<String> problems) {
        JsonNode metadata = doc.path("metadata");
        String name = metadata.path("name").asText("");
        Pattern namePattern = NAME_IS_DNS_1035.contains(doc.path("kind").asText()) ? DNS_1035_LABEL : DNS_SUBDOMAIN;
        int maxName = NAME_IS_DNS_1035.contains(doc.path("kind").asText()) ? 63 : 253;
        if (!namePattern.matcher(name).matches() || name.length() > maxName) {
            problems.add("metadata.name '" + name + "' is not a valid name for a " + doc.path("kind").asText());
        }
        if (metadata.has("namespace") && !(DNS_LABEL.matcher(metadata.path("namespace").asText()).matches()
                && metadata.path("namespace").asText().length() <= 63)) {
            problems.add("metadata.namespace '" + metadata.path("namespace").asText() + "' is not a DNS label");
        }
        walkSyntax(doc, "", problems);
    }

    private static void walkSyntax(JsonNode node, String path, List<String> problems) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String key = field.getKey();
                JsonNode value = field.getValue();
                String at = path + "." + key;
                if ((key.equals("labels") || key.equals("matchLabels")) && value.isObject()) {
                    value.fields().forEachRemaining(label -> checkLabel(label.getKey(), label.getValue(), at, problems));
                } else if ((key.equals("containers") || key.equals("initContainers")) && value.isArray()) {
                    for (JsonNode container : value) {
                        checkContainer(container, at, problems);
                    }
                }
                walkSyntax(value, at, problems);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walkSyntax(node.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static void checkLabel(String key, JsonNode value, String at, List<String> problems) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (!DNS_SUBDOMAIN.matcher(prefix).matches() || prefix.length() > 253) {
                problems.add(display(at) + ": label key prefix '" + prefix + "' is not a DNS subdomain");
            }
        }
        if (!LABEL_NAME.matcher(name).matches() || name.length() > 63) {
            problems.add(display(at) + ": label key '" + key + "' is not valid");
        }
        String text = value.asText();
        if (!value.isTextual() || text.length() > 63 || !(text.isEmpty() || LABEL_NAME.matcher(text).matches())) {
            problems.add(display(at) + ": label " + key + " has an invalid value " + value);
        }
    }

    private static void checkContainer(JsonNode container, String at, List<String> problems) {
        String name = container.path("name").asText("");
        if (!DNS_LABEL.matcher(name).matches() || name.length() > 63) {
            problems.add(display(at) + ": container name '" + name + "' is not a DNS label");
        }
        if (!container.path("image").isTextual() || container.path("image").asText().isBlank()) {
            problems.add(display(at) + ": container " + name + " has no image");
        }
        for (JsonNode port : container.path("ports")) {
            if (port.has("name")) {
                String portName = port.get("name").asText();
                if (portName.length() > 15 || !PORT_NAME.matcher(portName).matches() || !portName.matches(".*[a-z].*")) {
                    problems.add(display(at) + ": port name '" + portName + "' of " + name + " is not an IANA service name");
                }
            }
        }
        for (JsonNode env : container.path("env")) {
            String envName = env.path("name").asText("");
            if (!ENV_NAME.matcher(envName).matches()) {
                problems.add(display(at) + ": environment variable name '" + envName + "' of " + name + " is not valid");
            }
            if (env.has("value") && env.has("valueFrom")) {
                problems.add(display(at) + ": environment variable " + envName + " of " + name + " has both value and valueFrom");
            }
        }
    }

    private static String display(String path) {
        return path.startsWith(".") ? path.substring(1) : path;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** For tests and reports: the kinds bound to fabric8 models and those validated by schema. */
    public static Set<String> supportedTypes() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(KINDS.keySet());
        all.addAll(CUSTOM_RESOURCE_SCHEMAS.keySet());
        return all;
    }
}
