package io.archiver.localstack.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ./archiver-demo} is asked to do, from its arguments and environment, or a {@link DemoUsageException} naming what
 * is wrong and what to set instead. Settings the demo would ignore are refused, never dropped: the demo configures its services
 * itself (their database, Kafka and S3), so {@code QUARKUS_DATASOURCE_*} and the like would not reach them.
 *
 * <pre>
 * [demo|up] [--rows N] [--eligible-share S]                                   the embedded `run` table
 * [demo|up] --source-url jdbc:mysql://host:port/db --policy-file FILE [--create-archive-tables]   a database of your own
 * </pre>
 */
public record DemoSettings(String command, long rows, double eligibleShare, Optional<OwnDatabase> source, Path policyFile,
        boolean createArchiveTables) {

    public static final String ENV_URL = "ARCHIVER_SOURCE_URL";
    public static final String ENV_USER = "ARCHIVER_SOURCE_USER";
    public static final String ENV_PASSWORD = "ARCHIVER_SOURCE_PASSWORD";
    public static final String ENV_TLS = "ARCHIVER_SOURCE_TLS";

    private static final List<String> SOURCE_VARIABLES = List.of(ENV_URL, ENV_USER, ENV_PASSWORD, ENV_TLS);
    private static final List<String> TLS_MODES = List.of("DISABLED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY");
    private static final Pattern URL = Pattern.compile("jdbc:(?:mysql|mariadb)://([A-Za-z0-9.\\-]+|\\[[0-9a-fA-F:]+\\])(?::(\\d{1,5}))?/([A-Za-z0-9_$]{1,64})(\\?.*)?");

    /** The user's database: where it is and who the demo connects as; the password only ever goes to the processes that connect. */
    public record OwnDatabase(String host, int port, String database, String user, String password, String tls) {

        /** {@code user@host:port/database}: how the demo names it (never with the password). */
        public String where() {
            return user + "@" + host + ":" + port + "/" + database;
        }

        @Override
        public String toString() {
            return where() + " (tls " + tls + ")";
        }
    }

    /**
     * The variables the demo sets for its services and archivectl itself, by prefix, each with why it would be ignored and what to
     * set instead.
     */
    private static final Map<String, String> IGNORED = Map.of(
            "QUARKUS_DATASOURCE_", "the demo gives its services a control database of its own (archiver_demo) and would ignore it",
            "QUARKUS_S3_", "the demo starts an S3 server of its own for the archive and would ignore it",
            "KAFKA_BOOTSTRAP_SERVERS", "the demo starts a Kafka broker of its own and would ignore it",
            "ARCHIVER_S3_BUCKET", "the demo archives to the bucket of its own S3 server and would ignore it",
            "ARCHIVER_DB_", "the demo points archivectl at its own control database and would ignore it");

    private static final String OWN_DATABASE_HINT = "to archive a database of your own, set " + ENV_URL + " (or --source-url "
            + "jdbc:mysql://host:port/db), " + ENV_USER + " and " + ENV_PASSWORD + ", and give --policy-file FILE (docs/operations.md,"
            + " \"Archive your own database\")";

    public static DemoSettings parse(List<String> args, Map<String, String> environment) {
        refuseIgnored(environment);
        String command = "demo";
        Long rows = null;
        Double share = null;
        String url = environment.get(ENV_URL);
        Path policyFile = null;
        boolean create = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "demo", "up" -> command = arg;
                case "--rows" -> rows = number(arg, value(args, ++i, arg), Long::parseLong);
                case "--eligible-share" -> share = number(arg, value(args, ++i, arg), Double::parseDouble);
                case "--source-url" -> url = value(args, ++i, arg);
                case "--policy-file" -> policyFile = Path.of(value(args, ++i, arg));
                case "--create-archive-tables" -> create = true;
                default -> throw new DemoUsageException("unknown argument '" + arg + "'; the arguments are demo, up, --rows N, --eligible-share S,"
                        + " --source-url URL, --policy-file FILE, --create-archive-tables (--help shows them)");
            }
        }
        if (url == null) {
            for (String variable : SOURCE_VARIABLES) {
                if (environment.containsKey(variable)) {
                    throw new DemoUsageException(variable + " is set but no database is given, so it would be ignored: set " + ENV_URL
                            + " or --source-url jdbc:mysql://host:port/db to archive that database, or unset " + variable);
                }
            }
            if (policyFile != null || create) {
                throw new DemoUsageException((policyFile != null ? "--policy-file" : "--create-archive-tables") + " needs a database of your"
                        + " own, which the embedded `run` demo does not use: " + OWN_DATABASE_HINT);
            }
            long n = rows == null ? 20_000 : rows;
            double s = share == null ? 0.6 : share;
            if (n < 0 || s < 0 || s > 1) {
                throw new DemoUsageException("--rows must be >= 0 and --eligible-share within [0, 1]");
            }
            return new DemoSettings(command, n, s, Optional.empty(), null, false);
        }
        if (rows != null || share != null) {
            throw new DemoUsageException((rows != null ? "--rows" : "--eligible-share") + " seeds the embedded `run` table, which is not"
                    + " used when archiving your own database (" + ENV_URL + " / --source-url): leave it out");
        }
        if (policyFile == null) {
            throw new DemoUsageException("--policy-file FILE is required with a database of your own: the policies of its tables"
                    + " (YAML, docs/policies.md); a policy without source: archives from the database given");
        }
        if (!Files.isReadable(policyFile)) {
            throw new DemoUsageException("--policy-file " + policyFile + ": no readable file there");
        }
        return new DemoSettings(command, 0, 0, Optional.of(ownDatabase(url, environment)), policyFile.toAbsolutePath(), create);
    }

    private static OwnDatabase ownDatabase(String url, Map<String, String> environment) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new DemoUsageException("source URL '" + url + "' is not jdbc:mysql://host[:port]/database (or jdbc:mariadb://...)");
        }
        if (m.group(4) != null) {
            throw new DemoUsageException("source URL: the demo would ignore the parameters '" + m.group(4) + "'; drop them (TLS: set " + ENV_TLS
                    + " to one of " + TLS_MODES + ")");
        }
        int port = m.group(2) == null ? 3306 : Integer.parseInt(m.group(2));
        if (port < 1 || port > 65_535) {
            throw new DemoUsageException("source URL: port " + port + " is not a TCP port (1 to 65535)");
        }
        String user = environment.get(ENV_USER);
        if (user == null || user.isBlank()) {
            throw new DemoUsageException(ENV_USER + " is not set: the MySQL user the demo archives as (it needs SELECT, INSERT, DELETE"
                    + " and CREATE on " + m.group(3) + ")");
        }
        String password = environment.get(ENV_PASSWORD);
        if (password == null) {
            throw new DemoUsageException(ENV_PASSWORD + " is not set: the password of " + user + " (export it; it is never printed)");
        }
        String host = m.group(1);
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        String tls = environment.getOrDefault(ENV_TLS, loopback ? "DISABLED" : "REQUIRED").toUpperCase(Locale.ROOT);
        if (!TLS_MODES.contains(tls)) {
            throw new DemoUsageException(ENV_TLS + " '" + tls + "' is not one of " + TLS_MODES);
        }
        return new OwnDatabase(host, port, m.group(3), user, password, tls);
    }

    /** Every variable set that the demo would override or not read, naming it, why, and what to set instead. */
    private static void refuseIgnored(Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        for (String variable : new TreeSet<>(environment.keySet())) {
            IGNORED.forEach((prefix, why) -> {
                if (variable.startsWith(prefix)) {
                    problems.add(variable + " is set, but " + why + "; unset it" + (prefix.equals("QUARKUS_DATASOURCE_") || prefix.equals(
                            "ARCHIVER_DB_") ? ": " + OWN_DATABASE_HINT : ""));
                }
            });
            if (variable.startsWith("ARCHIVER_SOURCE_") && !SOURCE_VARIABLES.contains(variable)) {
                problems.add(variable + " is not a setting of the demo, which would ignore it; its settings are " + SOURCE_VARIABLES);
            }
        }
        if (!problems.isEmpty()) {
            throw new DemoUsageException(String.join("\n", problems));
        }
    }

    private static String value(List<String> args, int i, String flag) {
        if (i >= args.size()) {
            throw new DemoUsageException(flag + " needs a value");
        }
        return args.get(i);
    }

    private static <T> T number(String flag, String text, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(text);
        } catch (NumberFormatException e) {
            throw new DemoUsageException(flag + " '" + text + "' is not a number");
        }
    }
}
