package io.archiver.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A transparent loopback forwarder in front of the MySQL server that times transactions as the
 * client sees them, without touching the client: it reads the MySQL client/server protocol's packet
 * framing on the client-to-server direction (commands start with sequence id 0; {@code COM_QUERY}
 * is {@code 0x03} followed by the SQL text), and takes
 * <ul>
 * <li>an explicit transaction from the moment {@code BEGIN} / {@code START TRANSACTION} is forwarded
 * to the moment the first byte of the server's answer to {@code COMMIT} / {@code ROLLBACK} arrives
 * (the Vert.x client of the deleter works this way);</li>
 * <li>on a connection that ran {@code SET autocommit=0} (pt-archiver through DBI), an implicit
 * transaction from the first command after the previous {@code COMMIT} to the answer to the next.</li>
 * </ul>
 * Bytes are forwarded before they are inspected, so the tap adds one loopback hop (tens of
 * microseconds) per round trip and nothing else. No TLS (neither the deleter nor pt-archiver use it here).
 */
public final class MySqlTxTap implements AutoCloseable {

    /** One transaction: its bounds ({@link System#nanoTime()}), how it ended, whether it deleted or locked rows. */
    public record Tx(long startNanos, long endNanos, boolean committed, boolean explicit, boolean deleting, int connection) {

        public double ms() {
            return (endNanos - startNanos) / 1e6;
        }
    }

    private static final int COM_QUERY = 0x03;
    private static final int COM_STMT_PREPARE = 0x16;
    private static final int COM_STMT_EXECUTE = 0x17;
    private static final int CAPTURE = 256;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Tx> transactions = new ArrayList<>();
    private int connections;

    public MySqlTxTap(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the loopback interface", e);
        }
        Thread acceptor = new Thread(this::accept, "mysql-tx-tap-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every transaction that ended so far. */
    public synchronized List<Tx> transactions() {
        return new ArrayList<>(transactions);
    }

    /** The transactions that ended since {@code sinceNanos}: committed ones that were explicit or deleted rows. */
    public List<Tx> committed(long sinceNanos) {
        return transactions().stream().filter(t -> t.startNanos() >= sinceNanos && t.committed() && (t.explicit() || t.deleting())).toList();
    }

    private synchronized void record(Tx tx) {
        transactions.add(tx);
    }

    private synchronized int nextConnection() {
        return ++connections;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(targetHost, targetPort), 5000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                Connection connection = new Connection(nextConnection());
                pump(client, upstream, connection, true);
                pump(upstream, client, connection, false);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void pump(Socket from, Socket to, Connection connection, boolean clientToServer) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    // each side's bytes are taken into account before they are forwarded, so that what they cause comes after:
                    // the server's answer to a COMMIT finds the COMMIT parsed, and the client's next BEGIN finds the
                    // transaction before it recorded (either race lost or garbled transactions on loaded cores)
                    if (clientToServer) {
                        connection.parse(buffer, n, System.nanoTime());
                    } else {
                        connection.answered(System.nanoTime());
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                close(from);
                close(to);
            }
        }, "mysql-tx-tap-" + (clientToServer ? "c2s-" : "s2c-") + connection.id);
        thread.setDaemon(true);
        thread.start();
    }

    /** One client connection: the packet parser of its commands and its open transaction. */
    private final class Connection {
        final int id;
        // packet framing (client to server, one thread)
        private final byte[] header = new byte[4];
        private int headerFilled;
        private int payloadLeft;
        private int sequence;
        private final byte[] captured = new byte[CAPTURE];
        private int capturedLength;
        // transaction state (both threads)
        private boolean autocommitOff;
        private long txStart = -1;
        private boolean explicit;
        private boolean deleting;
        private long endSent = -1;
        private boolean endIsCommit;

        Connection(int id) {
            this.id = id;
        }

        void parse(byte[] bytes, int length, long now) {
            int i = 0;
            while (i < length) {
                if (headerFilled < 4) {
                    header[headerFilled++] = bytes[i++];
                    if (headerFilled == 4) {
                        payloadLeft = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
                        sequence = header[3] & 0xff;
                        capturedLength = 0;
                        if (payloadLeft == 0) {
                            packet(now);
                            headerFilled = 0;
                        }
                    }
                    continue;
                }
                int take = Math.min(payloadLeft, length - i);
                int copy = Math.min(take, CAPTURE - capturedLength);
                if (copy > 0) {
                    System.arraycopy(bytes, i, captured, capturedLength, copy);
                    capturedLength += copy;
                }
                i += take;
                payloadLeft -= take;
                if (payloadLeft == 0) {
                    packet(now);
                    headerFilled = 0;
                }
            }
        }

        private void packet(long now) {
            if (sequence != 0 || capturedLength == 0) {
                return; // not the start of a command (handshake, auth, continuation)
            }
            int command = captured[0] & 0xff;
            String sql = command == COM_QUERY || command == COM_STMT_PREPARE
                    ? new String(captured, 1, capturedLength - 1, StandardCharsets.UTF_8).strip().toUpperCase(Locale.ROOT)
                    : "";
            synchronized (this) {
                if (command == COM_QUERY && (sql.startsWith("BEGIN") || sql.startsWith("START TRANSACTION"))) {
                    txStart = now;
                    explicit = true;
                    deleting = false;
                    return;
                }
                if (command == COM_QUERY && (sql.startsWith("COMMIT") || sql.startsWith("ROLLBACK"))) {
                    if (txStart >= 0) {
                        endSent = now;
                        endIsCommit = sql.startsWith("COMMIT");
                    }
                    return;
                }
                if (command == COM_QUERY && sql.replace(" ", "").startsWith("SETAUTOCOMMIT=")) {
                    autocommitOff = sql.replace(" ", "").startsWith("SETAUTOCOMMIT=0");
                    return;
                }
                if (txStart < 0 && autocommitOff && (command == COM_QUERY || command == COM_STMT_EXECUTE || command == COM_STMT_PREPARE)) {
                    txStart = now;
                    explicit = false;
                    deleting = false;
                }
                if (txStart >= 0 && (sql.startsWith("DELETE") || sql.contains("FOR UPDATE"))) {
                    deleting = true;
                }
            }
        }

        synchronized void answered(long now) {
            if (endSent >= 0) {
                record(new Tx(txStart, now, endIsCommit, explicit, deleting, id));
                txStart = -1;
                endSent = -1;
                deleting = false;
            }
        }
    }

    private static void close(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already gone
        }
    }

    @Override
    public void close() {
        close(server);
        open.forEach(MySqlTxTap::close);
        open.clear();
    }
}
