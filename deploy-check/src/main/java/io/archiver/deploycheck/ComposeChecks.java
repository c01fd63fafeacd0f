package io.archiver.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.archiver.events.ArchiveEvent;
import io.archiver.events.ArchiveRequested;
import io.archiver.events.EventCodec;
import io.archiver.events.Topics;

/**
 * docker-compose.yml against the code: the services' variables, health checks and ports against their
 * application.properties, the volumes (none shared between services), the MySQL init scripts, the Object Lock bucket, and, by
 * running the one-shot scripts with stand-ins for the Kafka tools, the topics they create (shared-events
 * Topics) and the event the trigger publishes (decoded by EventCodec).
 */
public final class ComposeChecks {

    private static final Pattern HEALTH_URL = Pattern.compile("https?://[^/\\s:\"']+:(\\d+)(/[^\\s\"']*)");
    private static final Pattern DEV_TCP = Pattern.compile("/dev/tcp/[^/\\s]+/(\\d+)");
    private static final Pattern GET_LINE = Pattern.compile("GET (/\\S*) HTTP/1\\.[01]");
    private static final String LOCAL_DEV_MARK = "LOCAL DEV ONLY";
    private static final String STUB = """
            #!/bin/sh
            # deploy-check stand-in for a Kafka command-line tool: records its arguments and standard input.
            name=$(basename "$0")
            { echo "@@call $name"; for arg in "$@"; do echo "$arg"; done; echo "@@stdin"; } >> "$DEPLOY_CHECK_CAPTURE"
            if [ "$name" = kafka-console-producer.sh ]; then cat >> "$DEPLOY_CHECK_CAPTURE"; fi
            echo "@@end" >> "$DEPLOY_CHECK_CAPTURE"
            """;

    private final Path repoRoot;
    private final Map<String, ServiceProperties> properties = new TreeMap<>();

    public ComposeChecks(Path repoRoot) {
        this.repoRoot = repoRoot;
        for (String service : ServiceProperties.SERVICES) {
            properties.put(service, ServiceProperties.load(repoRoot, service));
        }
    }

    /** One recorded call of a Kafka tool by a one-shot script. */
    public record ToolCall(String tool, List<String> args, String stdin) {

        public String option(String name) {
            int i = args.indexOf(name);
            return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
        }
    }

    /** The problems of the compose file; relative paths in it are resolved against its directory. */
    public List<String> check(Path composeFile) {
        try {
            return check(Files.readString(composeFile), composeFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problems of a compose file's {@code text}, with relative paths resolved against {@code projectDir}. */
    public List<String> check(String text, Path projectDir) {
        return new Run(text, projectDir).check();
    }

    private final class Run {
        private final Path dir;
        private final String text;
        private final JsonNode compose;
        private final List<String> problems = new ArrayList<>();

        Run(String text, Path dir) {
            this.dir = dir;
            this.text = text;
            List<? extends JsonNode> docs = Yaml.readAll(text, "docker-compose.yml");
            if (docs.size() != 1) {
                throw new IllegalArgumentException("docker-compose.yml: expected one YAML document");
            }
            this.compose = docs.get(0);
        }

        List<String> check() {
            JsonNode services = compose.path("services");
            String topicStep = serviceRunning("kafka-topics.sh");
            String triggerStep = serviceRunning("kafka-console-producer.sh");
            Map<String, Set<String>> servicesByVolume = new TreeMap<>();
            for (String service : properties.keySet()) {
                JsonNode svc = services.path(service);
                if (svc.isMissingNode()) {
                    problems.add("compose: no service " + service);
                    continue;
                }
                checkService(service, svc, topicStep);
            }
            services.fields().forEachRemaining(e -> {
                for (JsonNode v : e.getValue().path("volumes")) {
                    String source = v.isObject() ? v.path("source").asText() : v.asText().split(":")[0];
                    if (compose.path("volumes").has(source)) {
                        servicesByVolume.computeIfAbsent(source, k -> new TreeSet<>()).add(e.getKey());
                    }
                }
            });
            // no shared filesystem: shards reach the uploader through S3
            servicesByVolume.forEach((volume, sharing) -> {
                if (sharing.size() > 1) {
                    problems.add("compose: volume " + volume + " is mounted by " + sharing + ": no volume is shared between services");
                }
            });
            checkTopicStep(topicStep);
            checkTrigger(triggerStep);
            checkMySql();
            checkBucket();
            checkKafka();
            return new ArrayList<>(new LinkedHashSet<>(problems));
        }

        private void checkService(String service, JsonNode svc, String topicStep) {
            String where = "compose " + service;
            ServiceProperties props = properties.get(service);
            String image = svc.path("image").asText();
            if (!image.startsWith("archiver/" + service + ":")) {
                problems.add(where + ": image " + image + " is not archiver/" + service + ":<version>");
            }
            Map<String, String> env = environment(svc);
            for (String variable : env.keySet()) {
                EnvNames.problem(variable, props).ifPresent(p -> problems.add(where + ": " + p));
                if (EnvNames.isSecretLike(variable) && !markedLocal(service, variable)) {
                    problems.add(where + ": " + variable + " is a credential: mark its line '# " + LOCAL_DEV_MARK + "'");
                }
            }
            int port = env.containsKey("QUARKUS_HTTP_PORT") ? Integer.parseInt(env.get("QUARKUS_HTTP_PORT")) : props.httpPort();

            String test = String.join(" ", strings(svc.path("healthcheck").path("test")));
            String[] target = healthTarget(test);
            if (target == null) {
                problems.add(where + ": no healthcheck on an http URL (http://host:port/path, or bash's /dev/tcp/host/port with GET path)");
            } else {
                if (Integer.parseInt(target[0]) != port) {
                    problems.add(where + ": healthcheck port " + target[0] + " is not the port the service listens on (" + port + ")");
                }
                if (!DeployChecks.PROBES.get("readinessProbe").equals(target[1])) {
                    problems.add(where + ": healthcheck path is " + target[1] + ", expected " + DeployChecks.PROBES.get("readinessProbe"));
                }
            }
            for (JsonNode mapping : svc.path("ports")) {
                String container = mapping.isObject() ? mapping.path("target").asText() : mapping.asText().replaceAll("^.*:", "")
                        .replaceAll("/.*$", "");
                if (!container.equals(String.valueOf(port))) {
                    problems.add(where + ": publishes container port " + container + " but the service listens on " + port);
                }
            }
            if (topicStep != null && !"service_completed_successfully".equals(svc.path("depends_on").path(topicStep).path("condition")
                    .asText())) {
                problems.add(where + ": must wait for " + topicStep + " (condition: service_completed_successfully): the broker does"
                        + " not create topics on first use");
            }
        }

        /** The compose line that sets {@code variable} in {@code service} carries the local-dev mark. */
        private boolean markedLocal(String service, String variable) {
            boolean inService = false;
            for (String line : text.split("\n")) {
                if (line.matches("^  [a-z0-9-]+:\\s*$")) {
                    inService = line.trim().equals(service + ":");
                }
                if (inService && line.trim().startsWith(variable + ":")) {
                    return line.contains(LOCAL_DEV_MARK);
                }
            }
            return false;
        }

        private void checkTopicStep(String topicStep) {
            if (topicStep == null) {
                problems.add("compose: no one-shot service creates the topics with kafka-topics.sh");
                return;
            }
            List<ToolCall> calls = runScript(topicStep);
            Set<String> created = new TreeSet<>();
            for (ToolCall call : calls) {
                if (call.tool().equals("kafka-topics.sh") && call.args().contains("--create")) {
                    created.add(call.option("--topic"));
                }
            }
            Set<String> expected = DeployChecks.expectedTopics();
            for (String topic : expected) {
                if (!created.contains(topic)) {
                    problems.add("compose " + topicStep + ": does not create " + topic + " (shared-events Topics)");
                }
            }
            for (String topic : created) {
                if (!expected.contains(topic)) {
                    problems.add("compose " + topicStep + ": creates " + topic + ", which is not a topic of shared-events Topics");
                }
            }
        }

        private void checkTrigger(String triggerStep) {
            if (triggerStep == null) {
                problems.add("compose: no one-shot trigger publishes with kafka-console-producer.sh");
                return;
            }
            String where = "compose " + triggerStep;
            // the pipeline's services, which handle the run it asks for (the API plays no part in it)
            for (String service : ServiceProperties.PIPELINE) {
                if (!"service_healthy".equals(compose.path("services").path(triggerStep).path("depends_on").path(service)
                        .path("condition").asText())) {
                    problems.add(where + ": must wait for " + service + " (condition: service_healthy)");
                }
            }
            List<ToolCall> calls = runScript(triggerStep);
            // after the script: it reads the clock in whole seconds, so a time taken before it could be up to a second earlier
            long now = System.currentTimeMillis();
            List<ToolCall> produced = calls.stream().filter(c -> c.tool().equals("kafka-console-producer.sh")).toList();
            if (produced.size() != 1) {
                problems.add(where + ": expected one kafka-console-producer.sh call, got " + produced.size());
                return;
            }
            ToolCall call = produced.get(0);
            if (!Topics.REQUESTS.equals(call.option("--topic"))) {
                problems.add(where + ": publishes to " + call.option("--topic") + ", not " + Topics.REQUESTS);
            }
            String separator = null;
            for (int i = 0; i < call.args().size() - 1; i++) {
                if (call.args().get(i).equals("--property") && call.args().get(i + 1).startsWith("key.separator=")) {
                    separator = call.args().get(i + 1).substring("key.separator=".length());
                }
            }
            boolean keyed = call.args().contains("parse.key=true");
            List<String> records = call.stdin().lines().filter(l -> !l.isBlank()).toList();
            if (records.size() != 1 || !keyed || separator == null || !records.get(0).contains(separator)) {
                problems.add(where + ": expected one keyed record (parse.key=true, key.separator), got " + records);
                return;
            }
            String record = records.get(0);
            String key = record.substring(0, record.indexOf(separator));
            String json = record.substring(record.indexOf(separator) + separator.length());
            ArchiveEvent event;
            try {
                event = EventCodec.decode(json.getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                problems.add(where + ": the published event does not decode: " + e.getMessage() + ": " + json);
                return;
            }
            if (!(event instanceof ArchiveRequested request)) {
                problems.add(where + ": publishes a " + event.getClass().getSimpleName() + ", not an ArchiveRequested");
                return;
            }
            if (!key.equals(request.key())) {
                problems.add(where + ": record key " + key + " is not the event's key (its runId " + request.runId() + ")");
            }
            // the policies live in the control database; out of the box it holds only run, as V9__policies.sql seeds it
            // (PolicySpec.defaults("run", "run") with 10,000 rows per batch, which PolicyStoreTest checks against the migration)
            if (!request.policy().equals("run")) {
                problems.add(where + ": policy " + request.policy() + " is not in a fresh control database (only run is); apply it"
                        + " with archivectl policy apply before the trigger runs, or trigger run");
                return;
            }
            io.archiver.policy.PolicySpec run = io.archiver.policy.PolicySpec.defaults("run", "run");
            if (!run.table().equals(request.table())) {
                problems.add(where + ": table " + request.table() + " is not the table of policy " + request.policy());
            }
            Duration minAge = run.minAge();
            if (request.cutoffEpochMs() > now - minAge.toMillis()) {
                problems.add(where + ": cutoff " + Instant.ofEpochMilli(request.cutoffEpochMs()) + " is later than now minus the"
                        + " policy's min-age " + minAge + ": the scanner would refuse the run");
            }
        }

        private void checkMySql() {
            Path schema = repoRoot.resolve("local-stack/src/main/resources/db/run-schema/V1__run_table.sql");
            boolean mounted = false;
            for (JsonNode svc : iterable(compose.path("services"))) {
                for (JsonNode v : svc.path("volumes")) {
                    String[] parts = v.asText().split(":");
                    if (parts.length >= 2 && parts[1].startsWith("/docker-entrypoint-initdb.d/")) {
                        Path source = dir.resolve(parts[0]).normalize();
                        if (!Files.isRegularFile(source)) {
                            problems.add("compose: init script " + parts[0] + " does not exist");
                        }
                        if (source.equals(schema.normalize())) {
                            mounted = true;
                        }
                    }
                }
            }
            if (!mounted) {
                problems.add("compose: the run schema " + repoRoot.relativize(schema) + " is not mounted as a MySQL init script");
            }
        }

        private void checkBucket() {
            Set<String> buckets = new TreeSet<>();
            for (String service : List.of("exporter-service", "uploader-service", "deleter-service")) {
                String bucket = environment(compose.path("services").path(service)).get("ARCHIVER_S3_BUCKET");
                if (bucket == null) {
                    problems.add("compose " + service + ": ARCHIVER_S3_BUCKET is not set");
                } else {
                    buckets.add(bucket);
                }
            }
            Pattern mb = Pattern.compile("mc mb\\b([^\\n]*)");
            boolean locked = false;
            for (String name : names(compose.path("services"))) {
                Matcher m = mb.matcher(script(compose.path("services").path(name)));
                while (m.find()) {
                    String line = m.group(1);
                    for (String bucket : buckets) {
                        if (line.contains("--with-lock") && line.matches(".*\\s[^\\s/]+/" + Pattern.quote(bucket) + "(\\s.*)?$")) {
                            locked = true;
                        }
                    }
                }
            }
            if (!locked) {
                problems.add("compose: no one-shot creates the bucket " + buckets + " with Object Lock (mc mb --with-lock)");
            }
        }

        private void checkKafka() {
            boolean kraft = false;
            for (String name : names(compose.path("services"))) {
                Map<String, String> env = environment(compose.path("services").path(name));
                if (env.getOrDefault("KAFKA_PROCESS_ROLES", "").contains("controller")) {
                    kraft = true;
                    if (!"false".equals(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"))) {
                        problems.add("compose " + name + ": KAFKA_AUTO_CREATE_TOPICS_ENABLE must be \"false\" (topics come from the topic step)");
                    }
                }
            }
            if (!kraft) {
                problems.add("compose: no Kafka broker in KRaft mode (KAFKA_PROCESS_ROLES with controller)");
            }
        }

        // ------------------------------------------------------------ one-shot scripts

        private String serviceRunning(String tool) {
            for (String name : names(compose.path("services"))) {
                if (script(compose.path("services").path(name)).contains(tool)) {
                    return name;
                }
            }
            return null;
        }

        /** Runs the service's shell script with stand-ins for the Kafka tools (via $KAFKA_TOOLS_DIR) and returns their calls. */
        private List<ToolCall> runScript(String service) {
            JsonNode svc = compose.path("services").path(service);
            String raw = script(svc);
            Matcher single = Pattern.compile("(?<!\\$)\\$(?!\\$)").matcher(raw.replace("$$", ""));
            if (single.find()) {
                problems.add("compose " + service + ": a single $ in the script is interpolated by compose from the host's"
                        + " environment; write $$");
            }
            String shell = raw.replace("$$", "$");
            Path work;
            try {
                work = Files.createTempDirectory("deploy-check-compose");
                Path tools = Files.createDirectories(work.resolve("tools"));
                for (String tool : List.of("kafka-topics.sh", "kafka-console-producer.sh")) {
                    Path stub = tools.resolve(tool);
                    Files.writeString(stub, STUB);
                    Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                Path capture = work.resolve("capture");
                Files.writeString(capture, "");
                ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", shell).directory(work.toFile())
                        .redirectOutput(work.resolve("stdout").toFile()).redirectError(work.resolve("stderr").toFile());
                pb.environment().putAll(environment(svc));
                pb.environment().put("KAFKA_TOOLS_DIR", tools.toString());
                pb.environment().put("DEPLOY_CHECK_CAPTURE", capture.toString());
                Process process = pb.start();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    problems.add("compose " + service + ": the script did not finish within 30 s");
                    return List.of();
                }
                if (process.exitValue() != 0) {
                    problems.add("compose " + service + ": the script failed (exit " + process.exitValue() + "): "
                            + Files.readString(work.resolve("stderr")).strip());
                }
                return parseCalls(Files.readString(capture));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The port and path a health check command requests: an http:// URL, or bash's /dev/tcp with a GET line. */
    static String[] healthTarget(String test) {
        Matcher url = HEALTH_URL.matcher(test);
        if (url.find()) {
            return new String[] { url.group(1), url.group(2) };
        }
        Matcher tcp = DEV_TCP.matcher(test);
        Matcher get = GET_LINE.matcher(test);
        if (tcp.find() && get.find()) {
            return new String[] { tcp.group(1), get.group(1) };
        }
        return null;
    }

    static List<ToolCall> parseCalls(String capture) {
        List<ToolCall> calls = new ArrayList<>();
        String tool = null;
        List<String> args = new ArrayList<>();
        StringBuilder stdin = new StringBuilder();
        boolean inStdin = false;
        for (String line : capture.split("\n", -1)) {
            if (line.startsWith("@@call ")) {
                tool = line.substring("@@call ".length());
                args = new ArrayList<>();
                stdin = new StringBuilder();
                inStdin = false;
            } else if (line.equals("@@stdin")) {
                inStdin = true;
            } else if (line.equals("@@end")) {
                calls.add(new ToolCall(tool, List.copyOf(args), stdin.toString()));
                tool = null;
            } else if (tool != null) {
                if (inStdin) {
                    stdin.append(line).append('\n');
                } else {
                    args.add(line);
                }
            }
        }
        return calls;
    }

    /** The shell script a service runs: the command after {@code sh -c} (in entrypoint or command). */
    static String script(JsonNode svc) {
        List<String> entrypoint = strings(svc.path("entrypoint"));
        List<String> command = strings(svc.path("command"));
        List<String> all = new ArrayList<>(entrypoint);
        all.addAll(command);
        int c = all.indexOf("-c");
        if (c >= 0 && c + 1 < all.size() && c >= 1 && all.get(c - 1).endsWith("sh")) {
            return all.get(c + 1);
        }
        return "";
    }

    /** A service's environment, in map or list form. */
    static Map<String, String> environment(JsonNode svc) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode environment = svc.path("environment");
        if (environment.isObject()) {
            environment.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().isNull() ? "" : f.getValue().asText()));
        } else {
            for (JsonNode item : environment) {
                String entry = item.asText();
                int eq = entry.indexOf('=');
                env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }
        return env;
    }

    private static List<String> strings(JsonNode node) {
        List<String> list = new ArrayList<>();
        if (node.isTextual()) {
            list.add(node.asText());
        } else {
            node.forEach(item -> list.add(item.asText()));
        }
        return list;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Iterable<JsonNode> iterable(JsonNode object) {
        List<JsonNode> values = new ArrayList<>();
        object.elements().forEachRemaining(values::add);
        return values;
    }
}
