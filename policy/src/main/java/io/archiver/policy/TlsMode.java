package io.archiver.policy;

/**
 * How a service reaches a source over TLS. No "preferred" mode: it would fall back to clear text without saying so.
 * {@link #jdbcSslMode()} is MariaDB Connector/J 3's {@code sslMode}; the Vert.x MySQL client's {@code SslMode} has the same names.
 */
public enum TlsMode {
    /** Clear text: only for a database on the same host or a private network. */
    DISABLED("disable"),
    /** Encrypted; the server's certificate is not checked. */
    REQUIRED("trust"),
    /** Encrypted; the server's certificate must be signed by a trusted CA. */
    VERIFY_CA("verify-ca"),
    /** Encrypted; the certificate must be trusted and name the host. */
    VERIFY_IDENTITY("verify-full");

    private final String jdbcSslMode;

    TlsMode(String jdbcSslMode) {
        this.jdbcSslMode = jdbcSslMode;
    }

    public String jdbcSslMode() {
        return jdbcSslMode;
    }
}
