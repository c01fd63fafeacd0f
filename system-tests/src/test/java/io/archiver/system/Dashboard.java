package io.archiver.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.archiver.localstack.services.ServiceProcess;

/** The Grafana dashboard in deploy/ and the metric names its queries use; the metric names a service exports. */
final class Dashboard {

    static final Path FILE = SystemStack.repositoryRoot().resolve("deploy/grafana/archiver-dashboard.json");

    private static final Pattern METRIC = Pattern.compile("\\b((?:archiver|kafka|jvm|http|process)_[a-z0-9_]+)\\b");

    private Dashboard() {
    }

    /** Every metric name in the dashboard's PromQL expressions; fails on JSON that does not parse. */
    static Set<String> metricsUsed() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(FILE));
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher matcher = METRIC.matcher(target.get("expr").asText());
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        }
        return names;
    }

    /** The metric names a running service exports now at /q/metrics (without labels). */
    static Set<String> exported(ServiceProcess service) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : service.get("/q/metrics").body().split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
                names.add(line.substring(0, end));
            }
        }
        return names;
    }
}
