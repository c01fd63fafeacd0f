package io.archiver.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The tap's packet framing and transaction bounds, against a fake server that answers each packet with one byte. */
class MySqlTxTapTest {

    @Test
    void timesExplicitAndImplicitTransactions() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            answerEveryPacket(fake);
            try (MySqlTxTap tap = new MySqlTxTap("127.0.0.1", fake.getLocalPort());
                    Socket client = new Socket("127.0.0.1", tap.port())) {
                long start = System.nanoTime();
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                send(out, in, 1, new byte[] { 1, 2, 3 }); // a handshake response: not a command
                query(out, in, "BEGIN");
                query(out, in, "SELECT * FROM `run` WHERE id BETWEEN 1 AND 2 FOR UPDATE");
                Thread.sleep(30); // the transaction under measurement lasts at least this long: what the tap must time
                // two packets in one write: framing must hold across them
                ByteArrayOutputStream two = new ByteArrayOutputStream();
                two.write(packet(0, command(0x03, "DELETE FROM run WHERE id = 1")));
                two.write(packet(0, command(0x03, "UPDATE archive_batch SET state = 'DELETED'")));
                out.write(two.toByteArray());
                out.flush();
                in.readNBytes(2);
                query(out, in, "COMMIT");
                query(out, in, "SELECT 1"); // outside any transaction
                query(out, in, "BEGIN");
                query(out, in, "ROLLBACK");
                query(out, in, "SET autocommit=0");
                query(out, in, "SELECT * FROM run LIMIT 5000");
                query(out, in, "DELETE FROM run WHERE id >= 1 AND id <= 9");
                query(out, in, "commit");
                query(out, in, "SELECT * FROM run LIMIT 5000");
                query(out, in, "COMMIT");

                waitFor(tap, 4);
                var all = tap.transactions();
                assertThat(all).hasSize(4);
                assertThat(all.get(0).explicit()).isTrue();
                assertThat(all.get(0).committed()).isTrue();
                assertThat(all.get(0).deleting()).isTrue();
                assertThat(all.get(0).ms()).isGreaterThanOrEqualTo(30);
                assertThat(all.get(1).committed()).isFalse();
                assertThat(all.get(2).explicit()).isFalse();
                assertThat(all.get(2).deleting()).isTrue();
                assertThat(all.get(3).deleting()).isFalse();
                // what the report counts: committed, and explicit or deleting
                assertThat(tap.committed(start)).containsExactly(all.get(0), all.get(2));
            }
        }
    }

    @Test
    void everyTransactionIsRecordedHoweverFastTheServerAnswers() throws Exception {
        // the fake server answers the moment a packet arrives: the tap must have read the COMMIT before its answer comes back,
        // and recorded the transaction before the client's next BEGIN arrives
        try (ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            answerEveryPacket(fake);
            int transactions = 3_000;
            try (MySqlTxTap tap = new MySqlTxTap("127.0.0.1", fake.getLocalPort());
                    Socket client = new Socket("127.0.0.1", tap.port())) {
                client.setTcpNoDelay(true);
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                for (int i = 0; i < transactions; i++) {
                    query(out, in, "BEGIN");
                    query(out, in, "DELETE FROM run WHERE id = " + i);
                    query(out, in, "COMMIT");
                }
                waitFor(tap, transactions);
                assertThat(tap.transactions()).hasSize(transactions).allMatch(t -> t.committed() && t.explicit() && t.deleting());
            }
        }
    }

    /** The fake server: accepts one connection and answers each packet with one byte, the moment it has read it. */
    private static void answerEveryPacket(ServerSocket fake) {
        Thread server = new Thread(() -> {
            try (Socket s = fake.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                s.setTcpNoDelay(true);
                byte[] header = new byte[4];
                while (in.readNBytes(header, 0, 4) == 4) {
                    int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
                    in.readNBytes(length);
                    out.write(0);
                    out.flush();
                }
            } catch (Exception e) {
                // the client went away
            }
        });
        server.setDaemon(true);
        server.start();
    }

    private static void waitFor(MySqlTxTap tap, int n) {
        org.awaitility.Awaitility.await("the tap records " + n + " transactions").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10)).until(() -> tap.transactions().size() >= n);
    }

    private static void query(OutputStream out, InputStream in, String sql) throws Exception {
        send(out, in, 0, command(0x03, sql));
    }

    private static void send(OutputStream out, InputStream in, int sequence, byte[] payload) throws Exception {
        out.write(packet(sequence, payload));
        out.flush();
        assertThat(in.read()).isZero();
    }

    private static byte[] command(int command, String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[text.length + 1];
        payload[0] = (byte) command;
        System.arraycopy(text, 0, payload, 1, text.length);
        return payload;
    }

    private static byte[] packet(int sequence, byte[] payload) {
        byte[] packet = new byte[payload.length + 4];
        packet[0] = (byte) payload.length;
        packet[1] = (byte) (payload.length >> 8);
        packet[2] = (byte) (payload.length >> 16);
        packet[3] = (byte) sequence;
        System.arraycopy(payload, 0, packet, 4, payload.length);
        return packet;
    }
}
