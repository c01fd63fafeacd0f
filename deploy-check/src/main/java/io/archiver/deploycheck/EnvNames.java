package io.archiver.deploycheck;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Environment variables against a service's configuration, by Quarkus's rule: a property is set by the
 * variable named like it in upper case with every character that is not a letter or digit turned into
 * {@code _} ({@code archiver.export.scratch-dir} is {@code ARCHIVER_EXPORT_SCRATCH_DIR}).
 * <ul>
 * <li>A variable that names a key of the service's application.properties is fine.</li>
 * <li>{@code ARCHIVER_*} must name such a key: those are the application's own settings, and a name that maps
 * to none is a typo that Quarkus would silently ignore.</li>
 * <li>{@code QUARKUS_<X>_*} is accepted when the service configures something under {@code quarkus.<x>.}
 * (the extension is there: no {@code QUARKUS_S3_*} for a service without S3), or when {@code <X>} is a
 * core root ({@code HTTP}, {@code LOG}, {@code SHUTDOWN}, {@code PROFILE}). {@code QUARKUS_DATASOURCE_JDBC_*}
 * and {@code QUARKUS_DATASOURCE_REACTIVE_*} need a key under that sub-tree (only the scanner has JDBC).</li>
 * <li>{@code KAFKA_*} is accepted when the service configures {@code kafka.*} (Kafka client settings).</li>
 * <li>{@code MP_JWT_*} is accepted when the service configures {@code mp.jwt.*} (MicroProfile JWT: the API's public key).</li>
 * <li>The {@code JAVA_*} and {@code GC_*} variables of the image's run-java.sh are accepted.</li>
 * <li>Anything else is not configuration of the service.</li>
 * </ul>
 */
public final class EnvNames {

    private static final Set<String> CORE_QUARKUS_ROOTS = Set.of("HTTP", "LOG", "SHUTDOWN", "PROFILE");
    private static final Set<String> RUN_JAVA_VARIABLES = Set.of("JAVA_OPTS", "JAVA_OPTS_APPEND", "JAVA_MAX_MEM_RATIO",
            "JAVA_INITIAL_MEM_RATIO", "JAVA_APP_JAR", "JAVA_DEBUG", "GC_CONTAINER_OPTIONS", "GC_MIN_HEAP_FREE_RATIO", "GC_MAX_HEAP_FREE_RATIO",
            "GC_TIME_RATIO", "GC_ADAPTIVE_SIZE_POLICY_WEIGHT", "GC_MAX_METASPACE_SIZE");
    /** Variables whose value is a credential: never a literal in Kubernetes manifests. */
    private static final Pattern SECRET_LIKE = Pattern.compile(".*(PASSWORD|SECRET|ACCESS_KEY|TOKEN|PRIVATE_KEY).*");

    private EnvNames() {
    }

    /** {@code quarkus.s3.aws.region} is {@code QUARKUS_S3_AWS_REGION}. */
    public static String toEnv(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    public static boolean isSecretLike(String variable) {
        return SECRET_LIKE.matcher(variable).matches();
    }

    /** Why {@code variable} is not configuration of the service, or empty when it is. */
    public static Optional<String> problem(String variable, ServiceProperties properties) {
        String service = properties.service();
        if (properties.keys().stream().anyMatch(key -> toEnv(key).equals(variable))) {
            return Optional.empty();
        }
        if (variable.startsWith("ARCHIVER_")) {
            return Optional.of(variable + " maps to no key of " + service + "'s application.properties");
        }
        if (variable.startsWith("QUARKUS_")) {
            String[] parts = variable.split("_");
            if (parts.length < 3) {
                return Optional.of(variable + " is not a Quarkus configuration variable");
            }
            if (CORE_QUARKUS_ROOTS.contains(parts[1])) {
                return Optional.empty();
            }
            String family = "QUARKUS_" + parts[1] + "_";
            if ("DATASOURCE".equals(parts[1]) && parts.length > 3 && (parts[2].equals("JDBC") || parts[2].equals("REACTIVE"))) {
                family = "QUARKUS_DATASOURCE_" + parts[2] + "_";
            }
            String prefix = family;
            if (properties.keys().stream().anyMatch(key -> toEnv(key).startsWith(prefix))) {
                return Optional.empty();
            }
            return Optional.of(variable + ": " + service + " configures nothing under " + prefix.toLowerCase(Locale.ROOT)
                    .replace('_', '.') + "* (is the extension there?)");
        }
        if (variable.startsWith("KAFKA_")) {
            return properties.keys().stream().anyMatch(key -> key.startsWith("kafka.")) ? Optional.empty()
                    : Optional.of(variable + ": " + service + " has no kafka.* configuration");
        }
        if (variable.startsWith("MP_JWT_")) {
            return properties.keys().stream().anyMatch(key -> key.startsWith("mp.jwt.")) ? Optional.empty()
                    : Optional.of(variable + ": " + service + " has no mp.jwt.* configuration (it verifies no token)");
        }
        if (RUN_JAVA_VARIABLES.contains(variable)) {
            return Optional.empty();
        }
        return Optional.of(variable + " is not configuration of " + service);
    }
}
