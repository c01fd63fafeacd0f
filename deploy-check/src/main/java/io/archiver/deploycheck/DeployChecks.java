package io.archiver.deploycheck;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.archiver.events.Topics;

/**
 * The rendered Kubernetes manifests against the code: ports and probes against what the services listen on,
 * environment variables against their application.properties, KafkaTopics against shared-events' Topics,
 * KEDA triggers against the consumer groups, the volumes (none shared between services; the exporter's scratch an emptyDir), and the
 * hardening every pod must have. Each problem is one string; none means consistent.
 */
public final class DeployChecks {

    /** A configuration expression, {@code ${key}} or {@code ${key:default}}. */
    private static final Pattern CONFIG_EXPRESSION = Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}");

    public static final Map<String, String> PROBES = Map.of(
            "startupProbe", "/q/health/started",
            "livenessProbe", "/q/health/live",
            "readinessProbe", "/q/health/ready");
    public static final String METRICS_PATH = "/q/metrics";
    public static final Set<String> KEDA_SCALED = Set.of("exporter-service", "uploader-service", "deleter-service");
    public static final List<String> TRIGGER_COMMAND = List.of("java", "-jar", "/app/archivectl.jar", "trigger", "--policy", "run", "--mode", "DELETE",
            "--schedule-slot", "auto");
    public static final String TRIGGER_IMAGE = "archiver/archivectl";
    /** How every archivectl CronJob starts; what follows is the command it runs (docs/deploy.md#cronjobs). */
    public static final List<String> ARCHIVECTL = List.of("java", "-jar", "/app/archivectl.jar");
    /** The archivectl commands a CronJob other than the trigger may run: purge after retention, the weekly verify. */
    public static final List<List<String>> SCHEDULED_COMMANDS = List.of(List.of("purge"), List.of("archive", "verify"));

    private final Map<String, ServiceProperties> properties = new TreeMap<>();

    public DeployChecks(Path repoRoot) {
        for (String service : ServiceProperties.SERVICES) {
            properties.put(service, ServiceProperties.load(repoRoot, service));
        }
    }

    /** Every topic of shared-events and the dead-letter topic of every consumed one. */
    public static Set<String> expectedTopics() {
        Set<String> topics = new TreeSet<>(Topics.ALL);
        Topics.CONSUMED.forEach(topic -> topics.add(Topics.dlq(topic)));
        return topics;
    }

    public ServiceProperties properties(String service) {
        return properties.get(service);
    }

    /** The problems of {@code docs}; {@code namespace} is the namespace every document must have, or null. */
    public List<String> check(List<? extends JsonNode> docs, String namespace) {
        return new Run(docs).check(namespace);
    }

    /** A value an environment variable gets: a literal, a ConfigMap key (resolved), a Secret key, or unknown. */
    record EnvValue(String source, String value) {
    }

    private final class Run {
        private final List<? extends JsonNode> docs;
        private final List<String> problems = new ArrayList<>();
        private final Map<String, JsonNode> configMaps = new HashMap<>();
        private final Map<String, java.util.Set<String>> claimsByService = new TreeMap<>();
        private final Map<String, Integer> portByService = new TreeMap<>();
        private final Map<String, Map<String, EnvValue>> envByService = new TreeMap<>();

        Run(List<? extends JsonNode> docs) {
            this.docs = docs;
            for (JsonNode doc : of("ConfigMap")) {
                configMaps.put(doc.path("metadata").path("name").asText(), doc.path("data"));
            }
        }

        List<String> check(String namespace) {
            if (namespace != null) {
                for (JsonNode doc : docs) {
                    String actual = doc.path("metadata").path("namespace").asText(null);
                    if (!namespace.equals(actual)) {
                        problems.add(Kustomize.id(doc) + ": namespace is " + actual + ", expected " + namespace);
                    }
                }
            }
            for (String service : properties.keySet()) {
                checkService(service);
            }
            // no shared filesystem: shards reach the uploader through S3, so any pod of any service runs on any node
            claimsByService.forEach((claim, services) -> {
                if (services.size() > 1) {
                    problems.add("PersistentVolumeClaim " + claim + " is mounted by " + services + ": no volume is shared between services");
                }
            });
            checkTopics();
            checkScaledObjects();
            checkServiceMonitor();
            checkTrigger();
            checkNetworkPolicies();
            checkIngresses();
            return new ArrayList<>(new LinkedHashSet<>(problems));
        }

        // ------------------------------------------------------------ the four services

        private void checkService(String service) {
            ServiceProperties props = properties.get(service);
            JsonNode deployment = find("Deployment", service);
            String where = "Deployment " + service;
            if (deployment == null) {
                problems.add("no Deployment " + service);
                return;
            }
            JsonNode podSpec = deployment.path("spec").path("template").path("spec");
            JsonNode container = null;
            for (JsonNode candidate : podSpec.path("containers")) {
                if (service.equals(candidate.path("name").asText())) {
                    container = candidate;
                }
            }
            if (container == null) {
                problems.add(where + ": no container named " + service);
                return;
            }
            checkPod(where, podSpec);
            checkSelector(where, deployment);

            String image = container.path("image").asText();
            String imageName = image.replaceAll("@.*$", "").replaceAll(":[^:/]*$", "");
            if (!imageName.equals("archiver/" + service) && !imageName.endsWith("/archiver/" + service)) {
                problems.add(where + ": image " + image + " is not archiver/" + service);
            }

            Map<String, EnvValue> env = environment(where, container);
            for (String variable : env.keySet()) {
                EnvNames.problem(variable, props).ifPresent(p -> problems.add(where + ": " + p));
            }

            int port = httpPort(where, env, props);
            portByService.put(service, port);
            envByService.put(service, env);
            Integer httpContainerPort = null;
            for (JsonNode p : container.path("ports")) {
                if ("http".equals(p.path("name").asText())) {
                    httpContainerPort = p.path("containerPort").asInt();
                }
            }
            if (httpContainerPort == null) {
                problems.add(where + ": no container port named http");
            } else if (httpContainerPort != port) {
                problems.add(where + ": container port http is " + httpContainerPort + " but the service listens on " + port
                        + " (QUARKUS_HTTP_PORT / quarkus.http.port)");
            }
            for (Map.Entry<String, String> probe : new TreeMap<>(PROBES).entrySet()) {
                JsonNode httpGet = container.path(probe.getKey()).path("httpGet");
                if (httpGet.isMissingNode()) {
                    problems.add(where + ": no " + probe.getKey() + " with httpGet");
                    continue;
                }
                String path = httpGet.path("path").asText();
                if (!probe.getValue().equals(path)) {
                    problems.add(where + ": " + probe.getKey() + " path is " + path + ", expected " + probe.getValue());
                }
                Integer probePort = resolvePort(httpGet.path("port"), container);
                if (probePort == null || probePort != port) {
                    problems.add(where + ": " + probe.getKey() + " port " + httpGet.path("port") + " is not the port the service"
                            + " listens on (" + port + ")");
                }
            }

            // only a consumer holds a batch while it stops (the API consumes nothing: its requests are short)
            long longestPoll = props.incoming().values().stream().mapToLong(ServiceProperties.Channel::maxPollIntervalMs).max()
                    .orElse(0);
            long grace = podSpec.path("terminationGracePeriodSeconds").asLong(30);
            if (longestPoll > 0 && grace * 1000 <= longestPoll) {
                problems.add(where + ": terminationGracePeriodSeconds " + grace + " is not longer than the longest batch a consumer"
                        + " may hold (max.poll.interval.ms " + longestPoll + ")");
            }

            checkVolumes(service, where, podSpec, container, env, props);
            checkKubernetesService(service, deployment, container, port);
            checkDisruptionBudget(service, deployment);
        }

        private int httpPort(String where, Map<String, EnvValue> env, ServiceProperties props) {
            EnvValue value = env.get("QUARKUS_HTTP_PORT");
            if (value == null) {
                return props.httpPort();
            }
            try {
                return Integer.parseInt(value.value());
            } catch (RuntimeException e) {
                problems.add(where + ": QUARKUS_HTTP_PORT has no literal port number (" + value + ")");
                return -1;
            }
        }

        /**
         * The volumes: every PersistentVolumeClaim is noted with the services that mount it (none may be shared); the
         * exporter's scratch directory ({@code *.scratch-dir}, the JVM's /tmp unless set) is an emptyDir of its own pod; a
         * service that reaches the archive bucket ({@code archiver.s3.bucket}) is given the bucket and the region.
         */
        private void checkVolumes(String service, String where, JsonNode podSpec, JsonNode container, Map<String, EnvValue> env,
                ServiceProperties props) {
            for (JsonNode v : podSpec.path("volumes")) {
                String claim = v.path("persistentVolumeClaim").path("claimName").asText(null);
                if (claim != null) {
                    claimsByService.computeIfAbsent(claim, c -> new java.util.TreeSet<>()).add(service);
                }
            }
            for (String key : props.keys()) {
                if (!key.endsWith(".scratch-dir")) {
                    continue;
                }
                String variable = EnvNames.toEnv(key);
                String dir = env.containsKey(variable) ? env.get(variable).value() : props.get(key).orElse("${java.io.tmpdir}");
                if (dir.equals("${java.io.tmpdir}")) {
                    dir = "/tmp"; // the JVM's temp dir in the image
                }
                JsonNode mount = null;
                for (JsonNode m : container.path("volumeMounts")) {
                    if (m.path("mountPath").asText().equals(dir)) {
                        mount = m;
                    }
                }
                JsonNode volume = mount == null ? null : volume(podSpec, mount.path("name").asText());
                if (volume == null || !volume.has("emptyDir")) {
                    problems.add(where + ": the scratch directory " + dir + " (" + key + ") is not an emptyDir of the pod (the root"
                            + " filesystem is read-only, and it is never shared)");
                }
            }
            if (props.keys().contains("archiver.s3.bucket")) {
                for (String needed : List.of("ARCHIVER_S3_BUCKET", "QUARKUS_S3_AWS_REGION")) {
                    if (!env.containsKey(needed)) {
                        problems.add(where + ": " + needed + " is not set: the service reaches the archive bucket");
                    }
                }
            }
        }

        private void checkKubernetesService(String service, JsonNode deployment, JsonNode container, int port) {
            JsonNode svc = find("Service", service);
            if (svc == null) {
                problems.add("no Service " + service);
                return;
            }
            JsonNode http = null;
            for (JsonNode p : svc.path("spec").path("ports")) {
                if ("http".equals(p.path("name").asText())) {
                    http = p;
                }
            }
            if (http == null) {
                problems.add("Service " + service + ": no port named http (the ServiceMonitor scrapes it)");
            } else {
                JsonNode target = http.has("targetPort") ? http.get("targetPort") : http.path("port");
                Integer targetPort = resolvePort(target, container);
                if (targetPort == null || targetPort != port) {
                    problems.add("Service " + service + ": targetPort " + target + " is not the port the service listens on (" + port + ")");
                }
            }
            if (!selects(svc.path("spec").path("selector"), podLabels(deployment))) {
                problems.add("Service " + service + ": selector does not select the pods of Deployment " + service);
            }
        }

        private void checkDisruptionBudget(String service, JsonNode deployment) {
            boolean covered = of("PodDisruptionBudget").stream()
                    .anyMatch(pdb -> selects(pdb.path("spec").path("selector").path("matchLabels"), podLabels(deployment)));
            if (!covered) {
                problems.add("no PodDisruptionBudget selects the pods of Deployment " + service);
            }
        }

        // ------------------------------------------------------------ pods

        private void checkPod(String where, JsonNode podSpec) {
            if (!podSpec.path("automountServiceAccountToken").isBoolean() || podSpec.path("automountServiceAccountToken").asBoolean()) {
                problems.add(where + ": automountServiceAccountToken must be false");
            }
            String account = podSpec.path("serviceAccountName").asText(null);
            if (account == null) {
                problems.add(where + ": no serviceAccountName (the default account is shared)");
            } else {
                JsonNode sa = find("ServiceAccount", account);
                if (sa == null) {
                    problems.add(where + ": no ServiceAccount " + account);
                } else if (!sa.path("automountServiceAccountToken").isBoolean() || sa.path("automountServiceAccountToken").asBoolean()) {
                    problems.add("ServiceAccount " + account + ": automountServiceAccountToken must be false");
                }
            }
            boolean podNonRoot = podSpec.path("securityContext").path("runAsNonRoot").asBoolean(false);
            for (JsonNode container : podSpec.path("containers")) {
                String c = where + " container " + container.path("name").asText();
                JsonNode sc = container.path("securityContext");
                if (!podNonRoot && !sc.path("runAsNonRoot").asBoolean(false)) {
                    problems.add(c + ": runAsNonRoot must be true");
                }
                if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
                    problems.add(c + ": readOnlyRootFilesystem must be true");
                }
                if (!sc.path("allowPrivilegeEscalation").isBoolean() || sc.path("allowPrivilegeEscalation").asBoolean()) {
                    problems.add(c + ": allowPrivilegeEscalation must be false");
                }
                if (!contains(sc.path("capabilities").path("drop"), "ALL")) {
                    problems.add(c + ": capabilities must drop ALL");
                }
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        if (container.path("resources").path(kind).path(resource).isMissingNode()) {
                            problems.add(c + ": no resources." + kind + "." + resource);
                        }
                    }
                }
                boolean tmp = false;
                for (JsonNode mount : container.path("volumeMounts")) {
                    JsonNode volume = volume(podSpec, mount.path("name").asText());
                    if ("/tmp".equals(mount.path("mountPath").asText()) && volume != null && volume.has("emptyDir")) {
                        tmp = true;
                    }
                }
                if (!tmp) {
                    problems.add(c + ": no emptyDir mounted on /tmp (the root filesystem is read-only)");
                }
                for (Map.Entry<String, EnvValue> e : environment(c, container).entrySet()) {
                    if (EnvNames.isSecretLike(e.getKey()) && !"secret".equals(e.getValue().source())) {
                        problems.add(c + ": " + e.getKey() + " is a credential and must come from a Secret (secretKeyRef), not "
                                + e.getValue().source());
                    }
                }
            }
        }

        private void checkSelector(String where, JsonNode workload) {
            JsonNode selector = workload.path("spec").path("selector").path("matchLabels");
            if (selector.isMissingNode() || selector.isEmpty()) {
                problems.add(where + ": no spec.selector.matchLabels");
            } else if (!selects(selector, podLabels(workload))) {
                problems.add(where + ": spec.selector does not match the pod template's labels");
            }
        }

        /** The variables of a container, with their values resolved where they are known. */
        private Map<String, EnvValue> environment(String where, JsonNode container) {
            Map<String, EnvValue> env = new LinkedHashMap<>();
            for (JsonNode from : container.path("envFrom")) {
                if (from.has("configMapRef")) {
                    JsonNode data = configMaps.get(from.path("configMapRef").path("name").asText());
                    if (data == null) {
                        problems.add(where + ": envFrom ConfigMap " + from.path("configMapRef").path("name").asText() + " does not exist");
                    } else {
                        String prefix = from.path("prefix").asText("");
                        data.fields().forEachRemaining(f -> env.put(prefix + f.getKey(), new EnvValue("configmap", f.getValue().asText())));
                    }
                } else {
                    problems.add(where + ": envFrom " + from + " hides which variables are set; use env with secretKeyRef");
                }
            }
            Set<String> seen = new LinkedHashSet<>();
            for (JsonNode e : container.path("env")) {
                String name = e.path("name").asText();
                if (!seen.add(name)) {
                    problems.add(where + ": environment variable " + name + " is set twice");
                }
                if (e.has("value")) {
                    env.put(name, new EnvValue("literal", e.get("value").asText()));
                } else if (e.path("valueFrom").has("configMapKeyRef")) {
                    JsonNode ref = e.path("valueFrom").path("configMapKeyRef");
                    JsonNode data = configMaps.get(ref.path("name").asText());
                    JsonNode value = data == null ? null : data.get(ref.path("key").asText());
                    if (value == null && !ref.path("optional").asBoolean(false)) {
                        problems.add(where + ": " + name + " refers to ConfigMap " + ref.path("name").asText() + " key "
                                + ref.path("key").asText() + ", which does not exist");
                    }
                    env.put(name, new EnvValue("configmap", value == null ? null : value.asText()));
                } else if (e.path("valueFrom").has("secretKeyRef")) {
                    env.put(name, new EnvValue("secret", null));
                } else {
                    env.put(name, new EnvValue("other", null));
                }
            }
            return env;
        }

        // ------------------------------------------------------------ topics and autoscaling

        private void checkTopics() {
            Map<String, JsonNode> declared = new TreeMap<>();
            Set<String> clusters = new TreeSet<>();
            for (JsonNode topic : of("KafkaTopic")) {
                String name = topicName(topic);
                if (declared.put(name, topic) != null) {
                    problems.add("topic " + name + " is declared by more than one KafkaTopic");
                }
                clusters.add(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText("<none>"));
            }
            Set<String> expected = expectedTopics();
            for (String topic : expected) {
                if (!declared.containsKey(topic)) {
                    problems.add("no KafkaTopic for " + topic + " (shared-events Topics)");
                }
            }
            for (String topic : declared.keySet()) {
                if (!expected.contains(topic)) {
                    problems.add("KafkaTopic " + declared.get(topic).path("metadata").path("name").asText() + " declares " + topic
                            + ", which is not a topic of shared-events Topics (nor its dead-letter topic)");
                }
            }
            if (clusters.size() > 1) {
                problems.add("KafkaTopics name more than one strimzi.io/cluster: " + clusters);
            }
            for (ServiceProperties props : properties.values()) {
                List<String> used = new ArrayList<>();
                props.incoming().values().forEach(c -> {
                    used.add(c.topic());
                    c.deadLetterTopic().ifPresent(used::add);
                });
                props.outgoing().values().forEach(c -> used.add(c.topic()));
                for (String topic : used) {
                    if (!expected.contains(topic)) {
                        problems.add(props.service() + " uses topic " + topic + ", which is not in shared-events Topics");
                    }
                }
            }
        }

        /**
         * A channel's {@code concurrency} (consumers per pod) as the pod would resolve it: the variable of the channel's own
         * key, else its value in application.properties, where {@code ${key}} or {@code ${key:default}} is looked up in the
         * container's environment and then in application.properties; 1 when unset. A value below 1 is a problem.
         */
        private int channelConcurrency(String where, ServiceProperties.Channel channel, ServiceProperties props, Map<String, EnvValue> env) {
            String key = "mp.messaging.incoming." + channel.name() + ".concurrency";
            EnvValue direct = env.get(EnvNames.toEnv(key));
            String value = direct != null ? direct.value() : channel.settings().get("concurrency");
            if (value == null) {
                return 1;
            }
            value = value.trim();
            Matcher expression = CONFIG_EXPRESSION.matcher(value);
            if (expression.matches()) {
                EnvValue fromEnv = env.get(EnvNames.toEnv(expression.group(1)));
                value = fromEnv != null ? fromEnv.value() : props.get(expression.group(1)).orElse(expression.group(2));
            }
            if (value == null) {
                return 1;
            }
            try {
                int concurrency = Integer.parseInt(value.trim());
                if (concurrency >= 1) {
                    return concurrency;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(where + ": the concurrency of channel " + channel.name() + " is '" + value + "', it must be a whole number of at least 1");
            return 1;
        }

        private void checkScaledObjects() {
            Map<String, JsonNode> byTarget = new TreeMap<>();
            for (JsonNode so : of("ScaledObject")) {
                String name = so.path("metadata").path("name").asText();
                String target = so.path("spec").path("scaleTargetRef").path("name").asText();
                String where = "ScaledObject " + name;
                if (byTarget.put(target, so) != null) {
                    problems.add("more than one ScaledObject scales " + target);
                }
                JsonNode deployment = find("Deployment", target);
                ServiceProperties props = properties.get(target);
                if (deployment == null || props == null) {
                    problems.add(where + ": scales " + target + ", which is not the Deployment of one of the services");
                    continue;
                }
                int max = so.path("spec").path("maxReplicaCount").asInt(100);
                int min = so.path("spec").path("minReplicaCount").asInt(0);
                if (min > max) {
                    problems.add(where + ": minReplicaCount " + min + " > maxReplicaCount " + max);
                }
                JsonNode container = null;
                for (JsonNode c : deployment.path("spec").path("template").path("spec").path("containers")) {
                    if (target.equals(c.path("name").asText())) {
                        container = c;
                    }
                }
                Map<String, EnvValue> env = container == null ? Map.of() : environment("Deployment " + target, container);
                for (JsonNode trigger : so.path("spec").path("triggers")) {
                    if (!"kafka".equals(trigger.path("type").asText())) {
                        continue;
                    }
                    JsonNode md = trigger.path("metadata");
                    String group = md.path("consumerGroup").asText();
                    String topic = md.path("topic").asText();
                    List<ServiceProperties.Channel> consuming = props.incoming().values().stream()
                            .filter(c -> c.topic().equals(topic) && c.groupId().map(group::equals).orElse(false)).toList();
                    if (consuming.isEmpty()) {
                        List<String> incoming = props.incoming().values().stream()
                                .map(c -> c.groupId().orElse("?") + " on " + c.topic()).toList();
                        problems.add(where + ": consumer group " + group + " on " + topic + " is not an incoming channel of " + target
                                + " (application.properties has " + incoming + ")");
                    }
                    EnvValue bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
                    String servers = bootstrap != null ? bootstrap.value() : props.get("kafka.bootstrap.servers").orElse(null);
                    if (servers != null && !servers.equals(md.path("bootstrapServers").asText())) {
                        problems.add(where + ": bootstrapServers " + md.path("bootstrapServers").asText() + " is not the broker " + target
                                + " uses (" + servers + ")");
                    }
                    int concurrency = 1;
                    for (ServiceProperties.Channel channel : consuming) {
                        concurrency = Math.max(concurrency, channelConcurrency(where, channel, props, env));
                    }
                    long consumers = (long) max * concurrency;
                    JsonNode kafkaTopic = of("KafkaTopic").stream().filter(t -> topic.equals(topicName(t))).findFirst().orElse(null);
                    if (kafkaTopic != null && kafkaTopic.path("spec").has("partitions")) {
                        int partitions = kafkaTopic.path("spec").path("partitions").asInt();
                        if (consumers > partitions) {
                            problems.add(where + ": maxReplicaCount " + max + (concurrency > 1 ? " x concurrency " + concurrency + " = " + consumers
                                    + " consumers" : "") + " exceeds the " + partitions + " partitions of " + topic + " (extra "
                                    + (concurrency > 1 ? "consumers" : "pods") + " would sit idle)");
                        }
                    }
                }
            }
            for (String service : KEDA_SCALED) {
                if (!byTarget.containsKey(service)) {
                    problems.add("no ScaledObject scales " + service + " on its consumer lag");
                }
            }
        }

        // ------------------------------------------------------------ monitoring, trigger, network

        private void checkServiceMonitor() {
            List<JsonNode> monitors = of("ServiceMonitor");
            if (monitors.isEmpty()) {
                problems.add("no ServiceMonitor");
            }
            for (String service : properties.keySet()) {
                JsonNode svc = find("Service", service);
                if (svc == null) {
                    continue;
                }
                boolean scraped = monitors.stream().anyMatch(m -> selects(m.path("spec").path("selector").path("matchLabels"),
                        svc.path("metadata").path("labels"))
                        && streamOf(m.path("spec").path("endpoints")).anyMatch(e -> "http".equals(e.path("port").asText())
                                && METRICS_PATH.equals(e.path("path").asText())));
                if (!scraped) {
                    problems.add("no ServiceMonitor scrapes " + METRICS_PATH + " on port http of Service " + service);
                }
            }
        }

        private void checkTrigger() {
            List<JsonNode> triggers = new ArrayList<>();
            for (JsonNode cronJob : of("CronJob")) {
                JsonNode podSpec = cronJob.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
                for (JsonNode c : podSpec.path("containers")) {
                    if (!c.path("image").asText().replaceAll("[:@].*$", "").endsWith(TRIGGER_IMAGE)) {
                        continue;
                    }
                    List<String> command = new ArrayList<>();
                    c.path("command").forEach(part -> command.add(part.asText()));
                    List<String> rest = command.size() > ARCHIVECTL.size() && command.subList(0, ARCHIVECTL.size()).equals(ARCHIVECTL)
                            ? command.subList(ARCHIVECTL.size(), command.size()) : List.of();
                    if (SCHEDULED_COMMANDS.stream().anyMatch(sc -> rest.size() >= sc.size() && rest.subList(0, sc.size()).equals(sc))
                            && !c.has("args")) {
                        checkScheduled(cronJob, podSpec);
                    } else {
                        triggers.add(cronJob); // held to the trigger's exact command below
                    }
                }
            }
            if (triggers.size() != 1) {
                problems.add("expected one CronJob running " + TRIGGER_IMAGE + " trigger, found " + triggers.size());
                return;
            }
            JsonNode cronJob = triggers.get(0);
            String where = "CronJob " + cronJob.path("metadata").path("name").asText();
            if (!"Forbid".equals(cronJob.path("spec").path("concurrencyPolicy").asText())) {
                problems.add(where + ": concurrencyPolicy must be Forbid");
            }
            JsonNode podSpec = cronJob.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
            checkPod(where, podSpec);
            for (JsonNode c : podSpec.path("containers")) {
                List<String> command = new ArrayList<>();
                c.path("command").forEach(part -> command.add(part.asText()));
                if (!TRIGGER_COMMAND.equals(command) || c.has("args")) {
                    problems.add(where + ": the command must be exactly " + TRIGGER_COMMAND + " (no args), is " + command
                            + (c.has("args") ? " + args " + c.get("args") : ""));
                }
            }
        }

        /** A purge or verify CronJob: never two at once, the pod rules of every pod, and the control database's settings. */
        private void checkScheduled(JsonNode cronJob, JsonNode podSpec) {
            String where = "CronJob " + cronJob.path("metadata").path("name").asText();
            if (!"Forbid".equals(cronJob.path("spec").path("concurrencyPolicy").asText())) {
                problems.add(where + ": concurrencyPolicy must be Forbid");
            }
            checkPod(where, podSpec);
            for (JsonNode c : podSpec.path("containers")) {
                Set<String> names = new java.util.TreeSet<>();
                c.path("env").forEach(e -> names.add(e.path("name").asText()));
                for (String needed : List.of("ARCHIVER_DB_URL", "ARCHIVER_DB_USER", "ARCHIVER_DB_PASSWORD", "ARCHIVER_S3_BUCKET")) {
                    if (!names.contains(needed)) {
                        problems.add(where + ": archivectl needs " + needed + " in its env");
                    }
                }
                c.path("env").forEach(e -> {
                    if (e.path("name").asText().endsWith("PASSWORD") || e.path("name").asText().equals("AWS_SECRET_ACCESS_KEY")) {
                        if (!e.path("valueFrom").has("secretKeyRef")) {
                            problems.add(where + ": " + e.path("name").asText() + " must come from a Secret (secretKeyRef)");
                        }
                    }
                });
            }
        }

        private void checkNetworkPolicies() {
            List<JsonNode> policies = of("NetworkPolicy");
            boolean defaultDeny = policies.stream().anyMatch(p -> p.path("spec").path("podSelector").isEmpty()
                    && contains(p.path("spec").path("policyTypes"), "Ingress") && p.path("spec").path("ingress").isEmpty());
            if (!defaultDeny) {
                problems.add("no default-deny ingress NetworkPolicy (podSelector {}, policyTypes [Ingress], no rules)");
            }
            for (String service : properties.keySet()) {
                JsonNode deployment = find("Deployment", service);
                if (deployment == null) {
                    continue;
                }
                JsonNode labels = podLabels(deployment);
                List<JsonNode> selecting = policies.stream()
                        .filter(p -> selects(p.path("spec").path("podSelector").path("matchLabels"), labels)).toList();
                int httpPort = portByService.getOrDefault(service, -1);
                boolean scrape = selecting.stream().anyMatch(p -> streamOf(p.path("spec").path("ingress"))
                        .anyMatch(rule -> streamOf(rule.path("ports")).anyMatch(port -> port.path("port").asInt(-1) == httpPort
                                || "http".equals(port.path("port").asText()))));
                if (!scrape) {
                    problems.add("no NetworkPolicy lets Prometheus reach the http port (" + httpPort + ") of " + service);
                }
                List<JsonNode> egress = selecting.stream().filter(p -> contains(p.path("spec").path("policyTypes"), "Egress")).toList();
                if (egress.isEmpty()) {
                    problems.add("no egress NetworkPolicy selects " + service + " (egress must be limited to DNS, Kafka, MySQL, S3)");
                    continue;
                }
                for (Map.Entry<String, Integer> needed : egressPorts(service).entrySet()) {
                    int port = needed.getValue();
                    boolean allowed = egress.stream().anyMatch(p -> streamOf(p.path("spec").path("egress"))
                            .anyMatch(rule -> streamOf(rule.path("ports")).anyMatch(x -> x.path("port").asInt(-1) == port)));
                    if (!allowed) {
                        problems.add("the egress NetworkPolicies of " + service + " do not allow port " + port + " (" + needed.getKey() + ")");
                    }
                }
            }
        }

        /**
         * Every Ingress backend is a Service of one of the services, on a port it has, and a NetworkPolicy lets traffic from
         * outside the monitoring namespace into the pods behind it on that port (else the default deny drops every request).
         */
        private void checkIngresses() {
            for (JsonNode ingress : of("Ingress")) {
                String where = "Ingress " + ingress.path("metadata").path("name").asText();
                List<JsonNode> backends = new ArrayList<>();
                ingress.path("spec").path("rules").forEach(rule -> rule.path("http").path("paths")
                        .forEach(path -> backends.add(path.path("backend").path("service"))));
                if (ingress.path("spec").has("defaultBackend")) {
                    backends.add(ingress.path("spec").path("defaultBackend").path("service"));
                }
                for (JsonNode backend : backends) {
                    String name = backend.path("name").asText();
                    JsonNode svc = find("Service", name);
                    JsonNode deployment = find("Deployment", name);
                    if (svc == null || deployment == null || !properties.containsKey(name)) {
                        problems.add(where + ": backend " + name + " is not the Service of one of the services");
                        continue;
                    }
                    JsonNode wanted = backend.path("port");
                    JsonNode port = streamOf(svc.path("spec").path("ports")).filter(p -> wanted.has("name")
                            ? wanted.path("name").asText().equals(p.path("name").asText())
                            : wanted.path("number").asInt(-1) == p.path("port").asInt()).findFirst().orElse(null);
                    if (port == null) {
                        problems.add(where + ": backend " + name + " port " + wanted + " is not a port of Service " + name);
                        continue;
                    }
                    int podPort = portByService.getOrDefault(name, -1);
                    JsonNode labels = podLabels(deployment);
                    boolean admitted = of("NetworkPolicy").stream()
                            .filter(p -> selects(p.path("spec").path("podSelector").path("matchLabels"), labels))
                            .flatMap(p -> streamOf(p.path("spec").path("ingress")))
                            .filter(rule -> streamOf(rule.path("ports")).anyMatch(x -> x.path("port").asInt(-1) == podPort
                                    || "http".equals(x.path("port").asText())))
                            .anyMatch(rule -> streamOf(rule.path("from")).anyMatch(from -> !"monitoring".equals(from
                                    .path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText())));
                    if (!admitted) {
                        problems.add(where + ": no NetworkPolicy admits the ingress controller to the pods of " + name + " on port " + podPort
                                + " (the default deny drops every request)");
                    }
                }
            }
        }

        /** The ports a service connects to, from the addresses it is configured with. */
        private Map<String, Integer> egressPorts(String service) {
            Map<String, EnvValue> env = envByService.getOrDefault(service, Map.of());
            ServiceProperties props = properties.get(service);
            Map<String, Integer> ports = new TreeMap<>();
            ports.put("DNS", 53);
            String kafka = value(env, props, "KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrap.servers");
            if (kafka != null) {
                ports.put("Kafka " + kafka, Integer.parseInt(kafka.split(",")[0].replaceAll("^.*:", "")));
            }
            String mysql = value(env, props, "QUARKUS_DATASOURCE_REACTIVE_URL", "quarkus.datasource.reactive.url");
            if (mysql != null) {
                java.net.URI uri = java.net.URI.create(mysql);
                ports.put("MySQL " + mysql, uri.getPort() > 0 ? uri.getPort() : 3306);
            }
            if (props.keys().stream().anyMatch(k -> k.startsWith("quarkus.s3."))) {
                String endpoint = value(env, props, "QUARKUS_S3_ENDPOINT_OVERRIDE", "quarkus.s3.endpoint-override");
                if (endpoint == null) {
                    ports.put("S3 over HTTPS", 443);
                } else {
                    java.net.URI uri = java.net.URI.create(endpoint);
                    ports.put("S3 " + endpoint, uri.getPort() > 0 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443);
                }
            }
            return ports;
        }

        private static String value(Map<String, EnvValue> env, ServiceProperties props, String variable, String key) {
            EnvValue value = env.get(variable);
            return value != null ? value.value() : props.get(key).orElse(null);
        }

        // ------------------------------------------------------------ helpers

        private List<JsonNode> of(String kind) {
            List<JsonNode> found = new ArrayList<>();
            for (JsonNode doc : docs) {
                if (kind.equals(doc.path("kind").asText())) {
                    found.add(doc);
                }
            }
            return found;
        }

        private JsonNode find(String kind, String name) {
            return of(kind).stream().filter(d -> name.equals(d.path("metadata").path("name").asText())).findFirst().orElse(null);
        }
    }

    static String topicName(JsonNode kafkaTopic) {
        return kafkaTopic.path("spec").path("topicName").asText(kafkaTopic.path("metadata").path("name").asText());
    }

    private static JsonNode podLabels(JsonNode workload) {
        return workload.path("spec").path("template").path("metadata").path("labels");
    }

    private static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode v : podSpec.path("volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return null;
    }

    /** The container port a probe or targetPort names (by name or number), or null. */
    private static Integer resolvePort(JsonNode port, JsonNode container) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode p : container.path("ports")) {
            if (port.asText().equals(p.path("name").asText())) {
                return p.path("containerPort").asInt();
            }
        }
        return null;
    }

    /** Whether a non-empty label selector (matchLabels) matches {@code labels}. */
    private static boolean selects(JsonNode matchLabels, JsonNode labels) {
        if (matchLabels == null || !matchLabels.isObject() || matchLabels.isEmpty()) {
            return false;
        }
        Optional<Map.Entry<String, JsonNode>> mismatch = streamOf(matchLabels.fields())
                .filter(e -> !e.getValue().asText().equals(labels.path(e.getKey()).asText(null))).findFirst();
        return mismatch.isEmpty();
    }

    private static boolean contains(JsonNode array, String value) {
        return streamOf(array).anyMatch(item -> value.equals(item.asText()));
    }

    private static java.util.stream.Stream<JsonNode> streamOf(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private static <T> java.util.stream.Stream<T> streamOf(java.util.Iterator<T> it) {
        Iterable<T> iterable = () -> it;
        return java.util.stream.StreamSupport.stream(iterable.spliterator(), false);
    }
}
