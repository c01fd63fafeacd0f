package io.archiver.localstack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on the loopback interface for the servers the local stack starts. A port is picked below the kernel's ephemeral range
 * ({@code net.ipv4.ip_local_port_range}): a port the kernel handed out ({@code new ServerSocket(0)}) is one it also hands to any
 * outgoing connection as its source port, so in the seconds a server takes to bind it, a Kafka client or a JDBC connection of a
 * test running beside it could take it first (CI saw S3Mock fail "Port ... was already in use"). Picked at random, checked free,
 * and never handed out twice by this JVM.
 */
public final class FreePorts {

    /** Lowest port picked: above the registered services most machines run. */
    static final int LOWEST = 10_000;
    static final int HIGHEST = 65_535;
    private static final Path PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    /** Read once: the range does not move under a running JVM. */
    private static final int EPHEMERAL_LOW = ephemeralLow();

    private FreePorts() {
    }

    /** A port nothing listens on now, outside the ephemeral range where there is room below it. */
    public static int next() {
        int below = EPHEMERAL_LOW;
        // where the ephemeral range starts too low to leave room (some containers set 1024-65535), any port above LOWEST
        return next(LOWEST, below - LOWEST >= 1_000 ? below : HIGHEST + 1);
    }

    /** A port in {@code [low, high)}, free now and not handed out before by this JVM; the kernel's pick where none is found. */
    static int next(int low, int high) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(low, high);
            if (!HANDED_OUT.contains(port) && canBind(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        return kernelPicked();
    }

    /** The first port of the kernel's ephemeral range (Linux), or 49152 (IANA's dynamic ports) where it cannot be read. */
    static int ephemeralLow() {
        try {
            // not Files.readString: a /proc file states its size as 0, and Java 17's readString then returns its first byte only
            return Integer.parseInt(Files.readAllLines(PORT_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 49_152;
        }
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The kernel reuses a port soon after it is closed, so its pick is taken only if this JVM has not handed it out already. */
    static int kernelPicked() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on the loopback interface", e);
            }
        }
        throw new IllegalStateException("the kernel offered only ports this JVM has handed out already");
    }

    /** Whether something accepts TCP connections on {@code host:port}. */
    public static boolean isListening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
