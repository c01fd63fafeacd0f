package io.archiver.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One named MySQL/MariaDB database a policy may archive from: where it is, who Archiver connects as, over which TLS mode, and where
 * that user's password is ({@link SourcePassword}, never the password). The name {@value #CONTROL} is the control database itself
 * (the ledger's), every policy's source unless it names another; it is not stored as a source.
 */
public record SourceSpec(String name, String host, int port, String database, String user, TlsMode tls, SourcePassword password,
        boolean enabled) {

    /** The control database: the source of a policy that names none. */
    public static final String CONTROL = "control";

    /** The settings' names, as written in a source file and in the history's values. */
    public static final List<String> SETTINGS = List.of("host", "port", "database", "user", "tls", "password-env", "password-file",
            "password-encrypted-from-env", "enabled");

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,255}");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_$]{1,64}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    public SourceSpec withEnabled(boolean on) {
        return new SourceSpec(name, host, port, database, user, tls, password, on);
    }

    /** The settings by name: the value kept in the history and compared by a diff. The password only as where it is. */
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("host", host);
        settings.put("port", port);
        settings.put("database", database);
        settings.put("user", user);
        settings.put("tls", tls.name());
        settings.put("password", password.describe());
        settings.put("enabled", enabled);
        return settings;
    }

    /** {@code jdbc:mariadb://host:port/database?sslMode=...}; the user and password go to the driver apart, never in a URL. */
    public String jdbcUrl() {
        return "jdbc:mariadb://" + host + ":" + port + "/" + database + "?sslMode=" + tls.jdbcSslMode();
    }

    /** {@code shop (archiver@db1:3306/shop)}: how a message names the source. */
    public String where() {
        return name + " (" + user + "@" + host + ":" + port + "/" + database + ")";
    }

    /** What is wrong with this source, each naming {@code sources.<name>.<setting>} and the fix; empty when it may be stored. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        String at = "sources." + name + ".";
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("sources." + name + ": a source name is 1 to 64 of a-z, 0-9 and '-', starting with a letter");
        } else if (name.equals(CONTROL)) {
            problems.add("sources.control: the name control is the control database itself (a policy without source: uses it);"
                    + " give this source another name");
        }
        if (host == null || !HOST.matcher(host).matches()) {
            problems.add(at + "host: '" + host + "' is not a host name or address (e.g. mysql.shop.svc or 10.0.0.5)");
        }
        if (port < 1 || port > 65_535) {
            problems.add(at + "port: " + port + " is not a TCP port (1 to 65535; MySQL's is 3306)");
        }
        if (database == null || !DATABASE.matcher(database).matches()) {
            problems.add(at + "database: '" + database + "' is not a plain database name (letters, digits, _ and $, at most 64)");
        }
        if (user == null || user.isBlank() || user.length() > 80) {
            problems.add(at + "user: the MySQL user Archiver connects as, 1 to 80 characters, not '" + user + "'");
        }
        if (password == null) {
            problems.add(at + "password-env: missing; name where the password is: password-env: VARIABLE, password-file: /path"
                    + " (a mounted Secret) or password-encrypted-from-env: VARIABLE (stored encrypted)");
        } else if (password.kind() == SourcePassword.Kind.ENV && !VARIABLE.matcher(String.valueOf(password.reference())).matches()) {
            problems.add(at + "password-env: '" + password.reference() + "' is not an environment variable name");
        } else if (password.kind() == SourcePassword.Kind.FILE && !String.valueOf(password.reference()).startsWith("/")) {
            problems.add(at + "password-file: '" + password.reference() + "' is not an absolute path (e.g. /var/run/secrets/shop/password)");
        }
        return problems;
    }

    static boolean isVariable(String name) {
        return name != null && VARIABLE.matcher(name).matches();
    }
}
