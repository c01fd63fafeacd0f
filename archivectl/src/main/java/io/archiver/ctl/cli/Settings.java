package io.archiver.ctl.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * The connection settings of one invocation, each taken from the first place that has it: the
 * command-line flag, then the environment variable, then the {@code --config} file (properties:
 * {@code kafka.bootstrap.servers}, {@code archiver.db.url}, {@code archiver.db.user},
 * {@code archiver.db.password}, or the environment variables' names). Further {@code kafka.*} keys
 * of the file are handed to the Kafka clients without the prefix ({@code kafka.security.protocol}).
 */
public record Settings(String bootstrapServers, String jdbcUrl, String dbUser, String dbPassword, Map<String, String> kafkaClientProperties,
        Map<String, String> sources) {

    public static final String ENV_BOOTSTRAP = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String ENV_DB_URL = "ARCHIVER_DB_URL";
    public static final String ENV_DB_USER = "ARCHIVER_DB_USER";
    public static final String ENV_DB_PASSWORD = "ARCHIVER_DB_PASSWORD";

    public static final String KEY_BOOTSTRAP = "kafka.bootstrap.servers";
    public static final String KEY_DB_URL = "archiver.db.url";
    public static final String KEY_DB_USER = "archiver.db.user";
    public static final String KEY_DB_PASSWORD = "archiver.db.password";

    /** The flags as given (null where absent). */
    public record Flags(String bootstrapServers, String jdbcUrl, String dbUser, String dbPassword, Path configFile) {
    }

    public static Settings resolve(Flags flags, Function<String, String> environment) {
        Properties file = flags.configFile() == null ? new Properties() : load(flags.configFile());
        Map<String, String> sources = new LinkedHashMap<>();
        String bootstrap = pick("bootstrap servers", flags.bootstrapServers(), environment, ENV_BOOTSTRAP, file, KEY_BOOTSTRAP, sources);
        String url = pick("database URL", flags.jdbcUrl(), environment, ENV_DB_URL, file, KEY_DB_URL, sources);
        String user = pick("database user", flags.dbUser(), environment, ENV_DB_USER, file, KEY_DB_USER, sources);
        String password = pick("database password", flags.dbPassword(), environment, ENV_DB_PASSWORD, file, KEY_DB_PASSWORD, sources);
        Secrets.register(password);
        Map<String, String> kafka = new LinkedHashMap<>();
        for (String key : file.stringPropertyNames()) {
            if (key.startsWith("kafka.") && !key.equals(KEY_BOOTSTRAP)) {
                kafka.put(key.substring("kafka.".length()), file.getProperty(key));
                if (key.toLowerCase().contains("password") || key.toLowerCase().contains("jaas")) {
                    Secrets.register(file.getProperty(key));
                }
            }
        }
        return new Settings(blankToNull(bootstrap), jdbcUrl(blankToNull(url)), blankToNull(user), password, Collections.unmodifiableMap(kafka),
                Collections.unmodifiableMap(sources));
    }

    private static String pick(String what, String flag, Function<String, String> environment, String envName, Properties file, String key,
            Map<String, String> sources) {
        if (flag != null) {
            sources.put(what, "flag");
            return flag;
        }
        String env = environment.apply(envName);
        if (env != null && !env.isBlank()) {
            sources.put(what, envName);
            return env;
        }
        String fromFile = file.getProperty(key, file.getProperty(envName));
        if (fromFile != null) {
            sources.put(what, "config file");
        }
        return fromFile;
    }

    private static Properties load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("config file " + file + " does not exist or is not a file");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("cannot read config file " + file + ": " + e.getMessage());
        }
        return properties;
    }

    /** Accepts the JDBC URL of MariaDB Connector/J, a {@code jdbc:mysql:} URL, or the services' reactive form {@code mysql://host:port/db}. */
    static String jdbcUrl(String url) {
        if (url == null) {
            return null;
        }
        if (url.startsWith("jdbc:mysql:")) {
            return "jdbc:mariadb:" + url.substring("jdbc:mysql:".length());
        }
        if (url.startsWith("mysql://") || url.startsWith("mariadb://")) {
            return "jdbc:mariadb://" + url.substring(url.indexOf("://") + 3);
        }
        return url;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The Kafka clients of this invocation ({@link KafkaAccess}, shared with the API), to close when done. */
    public io.archiver.operations.kafka.KafkaAccess kafka() {
        return new io.archiver.operations.kafka.KafkaAccess(requireBootstrapServers(), kafkaClientProperties(), "archivectl");
    }

    public String requireBootstrapServers() {
        if (bootstrapServers == null) {
            throw new UsageException("no Kafka bootstrap servers: pass --bootstrap-servers HOST:PORT, set " + ENV_BOOTSTRAP + ", or put "
                    + KEY_BOOTSTRAP + " in the --config file");
        }
        return bootstrapServers;
    }

    public String requireJdbcUrl() {
        if (jdbcUrl == null) {
            throw new UsageException("no ledger database: pass --jdbc-url jdbc:mariadb://HOST:PORT/DB, set " + ENV_DB_URL + ", or put "
                    + KEY_DB_URL + " in the --config file (and the user and password the same way)");
        }
        return jdbcUrl;
    }

    public boolean hasLedger() {
        return jdbcUrl != null;
    }

    @Override
    public String toString() {
        return "Settings[bootstrapServers=" + bootstrapServers + ", jdbcUrl=" + Secrets.mask(jdbcUrl) + ", dbUser=" + dbUser + ", dbPassword="
                + (dbPassword == null ? "none" : "****") + "]";
    }
}
