package io.archiver.localstack.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The local stack's ports: below the ephemeral range that outgoing connections take their source ports from, free, never twice. */
class FreePortsTest {

    @Test
    void portsAreFreeDistinctAndBelowTheEphemeralRange() throws Exception {
        int ephemeralLow = FreePorts.ephemeralLow();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = FreePorts.next();
            assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
            if (ephemeralLow - FreePorts.LOWEST >= 1_000) {
                assertThat(port).isBetween(FreePorts.LOWEST, ephemeralLow - 1);
            }
            try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(bound.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void theEphemeralRangeIsReadWhole() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(range), "a Linux machine");
        int low;
        try (InputStream in = Files.newInputStream(range)) { // read to its end, whatever size the file states
            low = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+")[0]);
        }
        assertThat(FreePorts.ephemeralLow()).isEqualTo(low);
    }

    @Test
    void portsAreDistinctWhereTheEphemeralRangeLeavesNoRoomBelowIt() throws Exception {
        // as on a machine whose ephemeral range is 1024-65535: random ports from the whole range, then the kernel's own picks
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertThat(ports.add(FreePorts.next(FreePorts.LOWEST, FreePorts.HIGHEST + 1))).as("random port handed out twice").isTrue();
            assertThat(ports.add(FreePorts.kernelPicked())).as("kernel's port handed out twice").isTrue();
        }
    }

    @Test
    void portsSomethingListensOnAreNotHandedOut() throws Exception {
        // every port of a small stretch below the ephemeral range taken by another socket (not through FreePorts)
        java.util.List<ServerSocket> taken = new java.util.ArrayList<>();
        try {
            for (int port = FreePorts.LOWEST; port < FreePorts.LOWEST + 200; port++) {
                try {
                    taken.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
                } catch (java.io.IOException inUse) {
                    // taken already
                }
            }
            for (int i = 0; i < 300; i++) {
                int port = FreePorts.next();
                assertThat(taken.stream().mapToInt(ServerSocket::getLocalPort)).doesNotContain(port);
            }
        } finally {
            for (ServerSocket socket : taken) {
                socket.close();
            }
        }
    }
}
