package io.archiver.localstack.faults;

import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.archiver.localstack.process.FreePorts;

/**
 * An HTTP/1.1 forwarder in front of the S3 server that injects S3 faults: {@link #failNextPuts(int)}
 * answers PUTs with 503; while {@link #corruptReads(boolean)} is on it
 * flips one byte in the body of every successful object GET: the bytes a client reads back from S3
 * then differ from what it stored, as with a corrupted object or a faulty store; {@link #failNextHeads(int)} answers HEADs
 * with 503; while {@link #hideChecksums(boolean)} is on it drops the {@code x-amz-checksum-*} headers of every answer, as
 * an S3 implementation that keeps no checksum does. It counts the GETs of each key ({@link #gets(String)}). Everything else
 * passes unchanged (requests are signed by the client and checked by the real server). Each
 * exchange uses its own connection ({@code Connection: close}), which keeps the forwarding simple.
 */
public final class CorruptingS3Proxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final AtomicBoolean corrupt = new AtomicBoolean();
    private final AtomicInteger corrupted = new AtomicInteger();
    private final AtomicInteger putsToFail = new AtomicInteger();
    private final AtomicInteger failedPuts = new AtomicInteger();
    private final AtomicInteger headsToFail = new AtomicInteger();
    private final AtomicInteger failedHeads = new AtomicInteger();
    private final AtomicBoolean hideChecksums = new AtomicBoolean();
    private final java.util.Map<String, AtomicInteger> getsByPath = new java.util.concurrent.ConcurrentHashMap<>();
    private ServerSocket server;

    public CorruptingS3Proxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = FreePorts.next();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public CorruptingS3Proxy corruptReads(boolean on) {
        corrupt.set(on);
        return this;
    }

    /** Answers the next {@code count} PUT requests with 503 Slow Down, as an overloaded or failing S3 does. */
    public CorruptingS3Proxy failNextPuts(int count) {
        putsToFail.set(count);
        return this;
    }

    /** How many PUT requests were answered with 503 so far. */
    public int failedPuts() {
        return failedPuts.get();
    }

    /** Answers the next {@code count} HEAD requests with 503 Slow Down. */
    public CorruptingS3Proxy failNextHeads(int count) {
        headsToFail.set(count);
        return this;
    }

    /** How many HEAD requests were answered with 503 so far. */
    public int failedHeads() {
        return failedHeads.get();
    }

    /** While on, answers carry no {@code x-amz-checksum-*} header: the server seems to keep no checksum. */
    public CorruptingS3Proxy hideChecksums(boolean on) {
        hideChecksums.set(on);
        return this;
    }

    /** How many GET requests named {@code key} (the path's end, any bucket, path style) so far. */
    public int gets(String key) {
        return getsByPath.entrySet().stream().filter(e -> e.getKey().endsWith("/" + key)).mapToInt(e -> e.getValue().get()).sum();
    }

    /** How many object reads were corrupted so far. */
    public int corruptedReads() {
        return corrupted.get();
    }

    public synchronized CorruptingS3Proxy start() {
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        ServerSocket listening = server;
        Thread acceptor = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Thread exchange = new Thread(() -> exchange(client), "s3-fault-proxy-exchange");
                    exchange.setDaemon(true);
                    exchange.start();
                } catch (IOException e) {
                    // closed
                }
            }
        }, "s3-fault-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    private void exchange(Socket client) {
        try (client; Socket upstream = new Socket()) {
            upstream.connect(new InetSocketAddress(targetHost, targetPort), 5000);
            InputStream clientIn = client.getInputStream();
            OutputStream upstreamOut = upstream.getOutputStream();
            List<String> request = readHead(clientIn);
            if (request.isEmpty()) {
                return;
            }
            String method = request.get(0).split(" ", 2)[0];
            if (method.equals("PUT") && putsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refuse(client, clientIn, request);
                failedPuts.incrementAndGet();
                return;
            }
            if (method.equals("HEAD") && headsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                OutputStream out = client.getOutputStream();
                out.write(head(List.of("HTTP/1.1 503 Slow Down", "Content-Length: 0", "Connection: close")));
                out.flush();
                failedHeads.incrementAndGet();
                return;
            }
            if (method.equals("GET")) {
                String target = request.get(0).split(" ")[1];
                int query = target.indexOf('?');
                getsByPath.computeIfAbsent(query < 0 ? target : target.substring(0, query), k -> new AtomicInteger()).incrementAndGet();
            }
            upstreamOut.write(head(withConnectionClose(request)));
            upstreamOut.flush();
            Thread body = new Thread(() -> {
                try {
                    clientIn.transferTo(upstreamOut);
                } catch (IOException e) {
                    // the exchange ended
                }
            }, "s3-fault-proxy-request-body");
            body.setDaemon(true);
            body.start();

            InputStream upstreamIn = upstream.getInputStream();
            OutputStream clientOut = client.getOutputStream();
            List<String> response = readHead(upstreamIn);
            while (!response.isEmpty() && response.get(0).matches("HTTP/1\\.1 1\\d\\d.*")) {
                clientOut.write(head(response));
                clientOut.flush();
                response = readHead(upstreamIn);
            }
            if (response.isEmpty()) {
                return;
            }
            if (hideChecksums.get()) {
                response = response.stream().filter(line -> !line.toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-")).toList();
            }
            clientOut.write(head(withConnectionClose(response)));
            boolean corruptThis = corrupt.get() && method.equals("GET") && response.get(0).startsWith("HTTP/1.1 200")
                    && header(response, "content-length") != null && Long.parseLong(header(response, "content-length")) > 0;
            if (corruptThis) {
                int first = upstreamIn.read();
                if (first >= 0) {
                    clientOut.write(first ^ 0x01);
                    corrupted.incrementAndGet();
                }
            }
            upstreamIn.transferTo(clientOut);
            clientOut.flush();
        } catch (IOException e) {
            // a side went away: the client sees a broken exchange, as it would
        }
    }

    /** Reads the request's body (unless the client waits for 100-continue) and answers 503 without forwarding it. */
    private void refuse(Socket client, InputStream clientIn, List<String> request) throws IOException {
        String expect = header(request, "expect");
        String length = header(request, "content-length");
        if ((expect == null || !expect.toLowerCase(Locale.ROOT).contains("100-continue")) && length != null) {
            clientIn.readNBytes((int) Math.min(Long.parseLong(length), Integer.MAX_VALUE));
        }
        byte[] body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>injected by CorruptingS3Proxy</Message></Error>"
                .getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(head(List.of("HTTP/1.1 503 Slow Down", "Content-Type: application/xml", "Content-Length: " + body.length,
                "Connection: close")));
        out.write(body);
        out.flush();
    }

    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                line.reset();
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
            } else {
                line.write(b);
            }
        }
        return List.of();
    }

    private static List<String> withConnectionClose(List<String> head) {
        List<String> out = new ArrayList<>();
        for (String line : head) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                out.add(line);
            }
        }
        out.add("Connection: close");
        return out;
    }

    private static String header(List<String> head, String name) {
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static byte[] head(List<String> lines) {
        return (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
            server = null;
        }
    }
}
