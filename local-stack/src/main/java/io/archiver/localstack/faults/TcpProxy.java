package io.archiver.localstack.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.archiver.localstack.process.FreePorts;

/**
 * A TCP forwarder on a fixed loopback port in front of a real server. {@link #stop()} closes the
 * port and cuts every open connection, so that to its clients the server is gone (as when a
 * database or broker host goes down); {@link #start()} opens the same port again. Used where the
 * server itself must not be killed, like the machine's MariaDB.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = FreePorts.next();
    }

    public int port() {
        return port;
    }

    public synchronized TcpProxy start() {
        if (server != null) {
            return this;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        ServerSocket listening = server;
        Thread acceptor = new Thread(() -> accept(listening), "tcp-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(targetHost, targetPort), 5000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                open.add(client);
                open.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                // closed by stop()
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pipe-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    /** Closes the port and cuts every connection through it. */
    public synchronized void stop() {
        if (server != null) {
            closeQuietly(server);
            server = null;
        }
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already gone
        }
    }

    @Override
    public void close() {
        stop();
    }
}
