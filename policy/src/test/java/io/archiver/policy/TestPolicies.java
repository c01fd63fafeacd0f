package io.archiver.policy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.localstack.services.ServiceProcess;

/**
 * The test harnesses' policies: settings written {@code ARCHIVER_POLICIES_<NAME>_<SETTING>} (a one-word policy name, e.g.
 * {@code ARCHIVER_POLICIES_RUN_CONFIRM_FIRST_RUN=false}) applied to the control database through {@link PolicyStore}, on top of
 * the stored policy of that name or the defaults; then {@link #awaitSeen} waits until every service's readiness reports them.
 */
public final class TestPolicies {

    private static final String PREFIX = "ARCHIVER_POLICIES_";

    private TestPolicies() {
    }

    /** Applies the settings, returns each changed policy's new version by name. */
    public static Map<String, Integer> apply(String jdbcUrl, String user, String password, Map<String, String> settings) {
        Map<String, Map<String, Object>> byPolicy = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (!key.startsWith(PREFIX)) {
                return;
            }
            String rest = key.substring(PREFIX.length());
            int cut = rest.indexOf('_');
            String name = rest.substring(0, cut).toLowerCase(Locale.ROOT);
            String setting = rest.substring(cut + 1).toLowerCase(Locale.ROOT).replace('_', '-');
            Map<String, Object> changes = byPolicy.computeIfAbsent(name, n -> new LinkedHashMap<>());
            if (setting.equals("id-column")) {
                changes.put("key", List.of(value));
            } else if (setting.equals("key")) {
                changes.put("key", List.of(value.split(","))); // a composite key: its columns joined by commas

            } else {
                changes.put(setting, typed(value));
            }
        });
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            PolicyStore store = new PolicyStore(connection);
            List<PolicySpec> specs = new ArrayList<>();
            byPolicy.forEach((name, changes) -> {
                PolicySpec base = store.find(name).map(StoredPolicy::spec)
                        .orElseGet(() -> PolicySpec.defaults(name, String.valueOf(changes.getOrDefault("table", name))));
                specs.add(PolicyFile.withSettings(base, changes));
            });
            Map<String, Integer> versions = new LinkedHashMap<>();
            for (PolicyChange change : store.apply(specs, "test-harness")) {
                versions.put(change.name(), change.version());
            }
            return versions;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot apply the test policies to " + jdbcUrl, e);
        }
    }

    private static Object typed(String value) {
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        if (value.matches("-?\\d+")) {
            return Long.parseLong(value);
        }
        if (value.matches("-?\\d*\\.\\d+")) {
            return Double.parseDouble(value);
        }
        return value;
    }

    /** Waits (at most {@code timeout}) until each service's readiness reports at least these policy versions. */
    public static void awaitSeen(Iterable<ServiceProcess> services, Map<String, Integer> versions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ObjectMapper json = new ObjectMapper();
        for (ServiceProcess service : services) {
            String[] last = { "" };
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            try {
                org.awaitility.Awaitility.await().atMost(left).pollInterval(Duration.ofMillis(100)).pollDelay(Duration.ZERO).until(() -> {
                    try {
                        last[0] = service.health("ready").body();
                        return seen(json.readTree(last[0]), versions);
                    } catch (IOException e) {
                        last[0] = e.toString();
                        return false;
                    }
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new IllegalStateException(service.service() + " did not take up policies " + versions + " within " + timeout
                        + "; its readiness: " + last[0]);
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
}
