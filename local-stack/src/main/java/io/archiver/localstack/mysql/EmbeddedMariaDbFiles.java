package io.archiver.localstack.mysql;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the embedded MariaDB keeps its files. Its binaries, data and temporary files stay in the stack's work dir,
 * with the rest of the stack's data and logs; its unix socket and pid file, the files a client and an operator look
 * for while it runs, go to {@code runtimeDir}, a short private directory (like {@code /run/mysqld} of an installed
 * server), because a socket's path may have at most {@value #MAX_SOCKET_PATH} bytes, which a work dir in a deep clone
 * exceeds.
 */
public record EmbeddedMariaDbFiles(Path workDir, Path runtimeDir) {

    /** {@code sun_path} of {@code struct sockaddr_un} on Linux is 108 bytes, with the terminating NUL. */
    static final int MAX_SOCKET_PATH = 107;

    /**
     * MariaDB names every file it opens in at most 511 bytes (FN_REFLEN); with the data dir at 400, its longest names in
     * it (a 32-character database's table, InnoDB's {@code #sql-alter-...} temporaries) still fit. Measured: the server
     * of {@link MySqlNodeMain#EMBEDDED_VERSION} did not install with a data dir of 477 bytes.
     */
    static final int MAX_DATA_DIR = 400;

    public Path base() {
        return workDir.resolve("mariadb-base");
    }

    public Path data() {
        return workDir.resolve("mariadb-data");
    }

    public Path tmp() {
        return workDir.resolve("tmp");
    }

    public Path socket() {
        return runtimeDir.resolve("mysqld.sock");
    }

    public Path pidFile() {
        return runtimeDir.resolve("mysqld.pid");
    }

    /** Refuses, naming the fix, a layout the server would abort on. */
    public EmbeddedMariaDbFiles validate() {
        int socket = bytes(socket());
        if (socket > MAX_SOCKET_PATH) {
            throw new IllegalStateException("the embedded MariaDB's socket " + socket() + " is " + socket + " bytes long, more than the "
                    + MAX_SOCKET_PATH + " a unix socket's path may have: start the stack with a shorter -Djava.io.tmpdir");
        }
        int data = Math.max(bytes(data()), bytes(base()));
        if (data > MAX_DATA_DIR) {
            throw new IllegalStateException("the embedded MariaDB's data directory " + data() + " is " + data + " bytes long, more than the "
                    + MAX_DATA_DIR + " MariaDB can name its files under: clone the repository into a shorter path, or use a MySQL server"
                    + " (ARCHIVER_MYSQL_HOST, ARCHIVER_MYSQL_PORT, ARCHIVER_MYSQL_MODE=external)");
        }
        return this;
    }

    private static int bytes(Path path) {
        return path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
