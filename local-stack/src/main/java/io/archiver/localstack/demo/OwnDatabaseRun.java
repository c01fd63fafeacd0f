package io.archiver.localstack.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.localstack.LocalStack;
import io.archiver.localstack.pipeline.ArchiveBucket;
import io.archiver.localstack.s3.S3Server;
import io.archiver.localstack.services.ServiceFleet;
import io.archiver.localstack.services.ServiceProcess;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Archives a user's own database on the demo's running stack, through archivectl as an operator would: registers it as source
 * {@value #SOURCE} ({@code source apply}), applies the policy file with it as the source of every policy that names none
 * ({@code policy apply --source}, with {@code --create-archive-tables} when asked; a policy that does not fit its live table stops
 * the demo with the reasons, before anything is archived), waits until the services read the policies, triggers each
 * ({@code trigger --wait}, in the policy's mode), confirms a first run the safety rails hold, and prints each run, its objects and
 * how to reach them.
 */
public final class OwnDatabaseRun {

    /** The name the user's database is registered under. */
    public static final String SOURCE = "own";

    private static final Pattern APPLIED = Pattern.compile("^policy ([a-z][a-z0-9_]*): [A-Z_]+(?: to)? version (\\d+)$", Pattern.MULTILINE);
    private static final Pattern HELD = Pattern.compile("^run (\\S+) awaits confirmation: (\\S+)$", Pattern.MULTILINE);
    private static final String FIRST_RUN = "FIRST_RUN_OF_POLICY";

    private final DemoSettings settings;
    private final DemoSettings.OwnDatabase source;
    private final LocalStack stack;
    private final ServiceFleet fleet;
    private final ArchivectlJar archivectl;
    private final PrintStream out;

    public OwnDatabaseRun(DemoSettings settings, LocalStack stack, ServiceFleet fleet, ArchivectlJar archivectl, PrintStream out) {
        this.settings = settings;
        this.source = settings.source().orElseThrow();
        this.stack = stack;
        this.fleet = fleet;
        this.archivectl = archivectl;
        this.out = out;
    }

    /** The environment the services and archivectl need for the source: its password, in the variable the source names. */
    public static Map<String, String> passwordEnvironment(DemoSettings.OwnDatabase source) {
        return Map.of(DemoSettings.ENV_PASSWORD, source.password());
    }

    /** Runs it all; the exit code: 0 every run SUCCEEDED, 2 the source or a policy refused (nothing archived), 1 a run did not succeed. */
    public int run() throws IOException {
        // where the password is, never the password: the services and archivectl read it from their environment
        Path sources = Files.writeString(stack.workDir().resolve("sources.yaml"), "sources: {%s: {host: '%s', port: %d, database: %s, user: '%s',"
                .formatted(SOURCE, source.host(), source.port(), source.database(), source.user().replace("'", "''"))
                + " tls: %s, password-env: %s}}%n".formatted(source.tls(), DemoSettings.ENV_PASSWORD));
        out.println("Your database " + source + " as source " + SOURCE + ":");
        ArchivectlJar.Result registered = step("source apply -f " + sources, "source", "apply", "-f", sources.toString(), "--actor", "archiver-demo");
        if (registered.exitCode() != 0) {
            out.println("FAILED: the source does not answer as " + source.where() + "; nothing archived");
            return 2;
        }
        List<String> apply = new ArrayList<>(List.of("policy", "apply", "-f", settings.policyFile().toString(), "--source", SOURCE, "--actor",
                "archiver-demo"));
        if (settings.createArchiveTables()) {
            apply.add("--create-archive-tables");
        }
        ArchivectlJar.Result applied = step(String.join(" ", apply.subList(0, apply.size())), apply.toArray(String[]::new));
        if (applied.exitCode() != 0) {
            out.println("FAILED: the policies do not fit their tables (above, each with its fix); nothing archived");
            return 2;
        }
        Map<String, Integer> versions = new LinkedHashMap<>();
        Matcher m = APPLIED.matcher(applied.out());
        while (m.find()) {
            versions.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        if (versions.isEmpty()) {
            out.println("FAILED: " + settings.policyFile() + " changed no policy of this fresh control database; nothing to archive");
            return 2;
        }
        awaitSeen(versions, Duration.ofMinutes(2));
        int worst = 0;
        Map<String, String> runs = new LinkedHashMap<>();
        for (String policy : versions.keySet()) {
            out.println();
            ArchivectlJar.Result triggered = step("trigger --policy " + policy + " --wait", "trigger", "--policy", policy, "--requested-by",
                    "archiver-demo", "--wait", "PT1H");
            Matcher held = HELD.matcher(triggered.out());
            if (triggered.exitCode() == 3 && held.find()) {
                String runId = held.group(1);
                if (!held.group(2).equals(FIRST_RUN)) {
                    out.println("  not confirmed by the demo: " + held.group(2) + " is a safety rail for this table (docs/safety-rails.md);"
                            + " look at the plan, then: archivectl trigger --confirm " + runId + " --wait");
                    worst = Math.max(worst, 1);
                    continue;
                }
                out.println("  confirming it, as an operator does once the first run's plan looks right:");
                triggered = step("trigger --confirm " + runId + " --wait", "trigger", "--confirm", runId, "--requested-by", "archiver-demo",
                        "--wait", "PT1H");
            }
            if (triggered.exitCode() != 0) {
                worst = Math.max(worst, 1);
                continue;
            }
            triggered.out().lines().filter(l -> l.startsWith("run ") && l.contains(" completed: ")).map(l -> l.split(" ")[1]).findFirst()
                    .ifPresent(runId -> runs.put(policy, runId));
        }
        printWhere(runs);
        return worst;
    }

    /** Runs one archivectl command and shows it with what it printed. */
    private ArchivectlJar.Result step(String shown, String... args) {
        out.println("  $ archivectl " + shown);
        ArchivectlJar.Result result = archivectl.run(args);
        result.err().lines().forEach(l -> out.println("    " + l));
        result.out().lines().forEach(l -> out.println("    " + l));
        return result;
    }

    /** Waits until each service's readiness reports every policy at its version (they read the control database every few seconds). */
    private void awaitSeen(Map<String, Integer> versions, Duration timeout) {
        ObjectMapper json = new ObjectMapper();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ServiceProcess service : fleet.all()) {
            String last = "";
            while (true) {
                try {
                    last = service.health("ready").body();
                    if (seen(json.readTree(last), versions)) {
                        break;
                    }
                } catch (IOException e) {
                    last = e.toString();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(service.service().module() + " did not read policies " + versions + " within " + timeout
                            + "; its readiness: " + last);
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    private static boolean seen(JsonNode readiness, Map<String, Integer> versions) {
        for (JsonNode check : readiness.path("checks")) {
            if (check.path("name").asText().equals("policies")) {
                return versions.entrySet().stream().allMatch(v -> check.path("data").path(v.getKey()).asInt(0) >= v.getValue());
            }
        }
        return false;
    }

    /** Where the objects are, and the lines that reach them: the local S3 server's endpoint and made-up keys, aws and archivectl. */
    private void printWhere(Map<String, String> runByPolicy) {
        S3Server s3 = stack.s3();
        String bucket = LocalStack.BUCKET;
        out.println();
        out.println("Where the objects are: bucket " + bucket + " on the demo's S3 server (S3Proxy)");
        out.println("  S3 endpoint " + s3.endpoint() + ", region " + S3Server.REGION + ", path-style addressing");
        out.println("  access key " + s3.accessKey() + ", secret key " + s3.secretKey() + " (made up for this local server)");
        out.println("  on disk: " + stack.workDir().resolve("s3/objects").resolve(bucket));
        Map<String, String> prefixes = new LinkedHashMap<>();
        try (ArchiveBucket archive = ArchiveBucket.of(stack)) {
            List<S3Object> objects = archive.list("");
            runByPolicy.forEach((policy, runId) -> {
                out.println("  policy " + policy + ", run " + runId + ":");
                for (S3Object object : objects) {
                    if (object.key().contains(runId)) {
                        out.printf("    s3://%s/%s  %d bytes%n", bucket, object.key(), object.size());
                        prefixes.putIfAbsent(policy, object.key().substring(0, object.key().lastIndexOf('/') + 1));
                    }
                }
            });
        }
        String keys = "AWS_ACCESS_KEY_ID=" + s3.accessKey() + " AWS_SECRET_ACCESS_KEY=" + s3.secretKey() + " AWS_REGION=" + S3Server.REGION;
        out.println("  to reach them" + (settings.command().equals("up") ? "" : " (while the servers run: `./archiver-demo up` with the same"
                + " settings keeps them running)") + ":");
        out.println("    " + keys + " aws s3 ls --recursive s3://" + bucket + "/ --endpoint-url " + s3.endpoint());
        prefixes.forEach((policy, prefix) -> out.println("    " + keys + " java -jar " + archivectl.jar() + " archive find --bucket " + bucket
                + " --s3-endpoint " + s3.endpoint() + " --policy " + policy + " --prefix " + prefix
                + " --from 1970-01-01T00:00:00Z --to 2100-01-01T00:00:00Z"));
    }
}
