package io.archiver.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A source file: YAML with one map {@code sources} of source name to its settings ({@link SourceSpec#SETTINGS}); {@code host},
 * {@code database}, {@code user} and one of the password settings are required; {@code port} is 3306, {@code tls} REQUIRED and
 * {@code enabled} true unless given. {@code password-encrypted-from-env: VARIABLE} reads the password from that variable where the
 * file is read and keeps only its encryption ({@link SecretBox}). Every problem of the file is reported at once, as for policies.
 */
public final class SourceFile {

    private SourceFile() {
    }

    public static List<SourceSpec> read(Path file, Function<String, String> environment) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new PolicyFileException(file.toString(), List.of("cannot read it: " + e.getMessage()));
        }
        return parse(file.toString(), text, environment);
    }

    public static List<SourceSpec> parse(String where, String text, Function<String, String> environment) {
        List<String> problems = new ArrayList<>();
        List<SourceSpec> specs = new ArrayList<>();
        String example = "{shop: {host: db1, database: shop, user: archiver, password-env: SHOP_DB_PASSWORD}}";
        for (Map.Entry<String, JsonNode> source : PolicyFile.entries(where, text, "sources", example, problems).entrySet()) {
            SourceSpec spec = spec(source.getKey(), source.getValue(), environment, problems);
            if (spec != null) {
                problems.addAll(spec.problems());
                specs.add(spec);
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyFileException(where, problems);
        }
        return specs;
    }

    private static SourceSpec spec(String name, JsonNode node, Function<String, String> environment, List<String> problems) {
        String at = "sources." + name + ".";
        if (!node.isObject()) {
            problems.add("sources." + name + ": expected a map of settings (host: ..., database: ..., user: ...)");
            return null;
        }
        Map<String, JsonNode> given = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> given.put(e.getKey(), e.getValue()));
        for (String setting : given.keySet()) {
            if (!SourceSpec.SETTINGS.contains(setting)) {
                problems.add(at + setting + ": unknown setting; the settings are " + String.join(", ", SourceSpec.SETTINGS)
                        + (setting.equals("password") ? " (never the password itself)" : ""));
            }
        }
        int before = problems.size();
        for (String required : List.of("host", "database", "user")) {
            if (!given.containsKey(required)) {
                problems.add(at + required + ": missing; every source names its " + required);
            }
        }
        String host = PolicyFile.text(given, "host", at, problems, null);
        int port = (int) PolicyFile.number(given, "port", at, problems, 3306, true);
        String database = PolicyFile.text(given, "database", at, problems, null);
        String user = PolicyFile.text(given, "user", at, problems, null);
        TlsMode tls = PolicyFile.choice(given, "tls", at, problems, TlsMode.class, TlsMode.REQUIRED);
        boolean enabled = PolicyFile.bool(given, "enabled", at, problems, true);
        SourcePassword password = password(name, given, at, environment, problems);
        if (problems.size() > before) {
            return null;
        }
        return new SourceSpec(name, host, port, database, user, tls, password, enabled);
    }

    private static SourcePassword password(String name, Map<String, JsonNode> given, String at, Function<String, String> environment,
            List<String> problems) {
        List<String> ways = new ArrayList<>();
        for (String way : List.of("password-env", "password-file", "password-encrypted-from-env")) {
            if (given.containsKey(way)) {
                ways.add(way);
            }
        }
        if (ways.size() != 1) {
            problems.add(at + "password-env: " + (ways.isEmpty() ? "missing" : "give one of " + ways + ", not " + ways.size())
                    + "; name where the password is: password-env: VARIABLE (the services' environment), password-file: /path"
                    + " (a mounted Kubernetes Secret) or password-encrypted-from-env: VARIABLE (read now, stored encrypted)");
            return null;
        }
        String way = ways.get(0);
        String value = PolicyFile.text(given, way, at, problems, null);
        if (value == null) {
            return null;
        }
        switch (way) {
            case "password-env":
                return SourcePassword.env(value);
            case "password-file":
                return SourcePassword.file(value);
            default:
                if (!SourceSpec.isVariable(value)) {
                    problems.add(at + way + ": '" + value + "' is not an environment variable name");
                    return null;
                }
                String password = environment.apply(value);
                if (password == null) {
                    problems.add(at + way + ": $" + value + " is not set; export it with the password to store it encrypted");
                    return null;
                }
                try {
                    SecretBox box = SecretBox.fromEnvironment(environment);
                    return SourcePassword.encrypted(box.encrypt(name, password), box.digest(name, password));
                } catch (IllegalArgumentException e) {
                    problems.add(at + way + ": " + e.getMessage());
                    return null;
                }
        }
    }
}
