package io.archiver.deploycheck;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One service's configuration as the prod profile sees it: its {@code src/main/resources/application.properties} over
 * the settings all services share ({@link #SHARED}); in each file a key's {@code %prod.} value wins over its plain one,
 * other profiles are ignored.
 */
public final class ServiceProperties {

    /** The services, by module directory (which is also their Deployment and compose service name): the four of the pipeline and the API. */
    public static final Set<String> SERVICES = Set.of("scanner-service", "exporter-service", "uploader-service", "deleter-service", "api-service");

    /** The four services of the pipeline, which a run goes through. */
    public static final Set<String> PIPELINE = Set.of("scanner-service", "exporter-service", "uploader-service", "deleter-service");

    /** Kafka's default max.poll.interval.ms, for channels that set none. */
    public static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

    private final String service;
    private final Map<String, String> prod;

    private ServiceProperties(String service, Map<String, String> prod) {
        this.service = service;
        this.prod = prod;
    }

    /** The settings every service shares, read from service-support's jar below each service's application.properties. */
    public static final String SHARED = "service-support/src/main/resources/META-INF/microprofile-config.properties";

    public static ServiceProperties load(Path repoRoot, String service) {
        // Quarkus reads the shared file at ordinal 100, application.properties at 250: the service's keys win
        Map<String, String> merged = prodView(repoRoot.resolve(SHARED));
        merged.putAll(prodView(repoRoot.resolve(service).resolve("src/main/resources/application.properties")));
        return new ServiceProperties(service, merged);
    }

    /** One properties file as the prod profile sees it. */
    private static Map<String, String> prodView(Path file) {
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            raw.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> plain = new TreeMap<>();
        Map<String, String> prodOnly = new TreeMap<>();
        for (String key : raw.stringPropertyNames()) {
            if (key.startsWith("%prod.")) {
                prodOnly.put(key.substring("%prod.".length()), raw.getProperty(key));
            } else if (!key.startsWith("%")) {
                plain.put(key, raw.getProperty(key));
            } else {
                // other profiles (%dev, %test): the key exists, though not with this value
                String bare = key.substring(key.indexOf('.') + 1);
                plain.putIfAbsent(bare, null);
            }
        }
        Map<String, String> merged = new TreeMap<>(plain);
        merged.putAll(prodOnly);
        return merged;
    }

    public String service() {
        return service;
    }

    /** Every key (profile prefixes removed). */
    public Set<String> keys() {
        return new TreeSet<>(prod.keySet());
    }

    /** The value in the prod profile. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(prod.get(key));
    }

    public int httpPort() {
        return Integer.parseInt(get("quarkus.http.port").orElse("8080"));
    }

    /** The incoming Kafka channels: name to its settings (topic, group.id, ...). */
    public Map<String, Channel> incoming() {
        return channels("mp.messaging.incoming.");
    }

    public Map<String, Channel> outgoing() {
        return channels("mp.messaging.outgoing.");
    }

    private Map<String, Channel> channels(String prefix) {
        Map<String, Map<String, String>> byName = new LinkedHashMap<>();
        prod.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    byName.computeIfAbsent(rest.substring(0, dot), n -> new TreeMap<>()).put(rest.substring(dot + 1), value);
                }
            }
        });
        Map<String, Channel> channels = new TreeMap<>();
        byName.forEach((name, settings) -> channels.put(name, new Channel(name, settings)));
        return channels;
    }

    /** One channel's settings. */
    public record Channel(String name, Map<String, String> settings) {

        public String topic() {
            return settings.getOrDefault("topic", name);
        }

        public Optional<String> groupId() {
            return Optional.ofNullable(settings.get("group.id"));
        }

        public Optional<String> deadLetterTopic() {
            return "dead-letter-queue".equals(settings.get("failure-strategy"))
                    ? Optional.of(settings.getOrDefault("dead-letter-queue.topic", "dead-letter-topic-" + name))
                    : Optional.empty();
        }

        public long maxPollIntervalMs() {
            return Long.parseLong(settings.getOrDefault("max.poll.interval.ms", String.valueOf(DEFAULT_MAX_POLL_INTERVAL_MS)));
        }
    }
}
