package io.archiver.localstack.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.archiver.localstack.process.ChildProcess;
import io.archiver.localstack.process.FreePorts;
import io.archiver.localstack.process.StackLayout;

/**
 * An S3-compatible server: S3Proxy over a directory (jclouds {@code filesystem-nio2}), in a JVM of
 * its own, with AWS signature v4 checked against credentials made up for this stack. Objects
 * live on disk, so they outlive {@link #kill()} and {@link #start()}; a bucket is a directory.
 */
public final class S3Server implements AutoCloseable {

    public static final String REGION = "us-east-1";

    private final StackLayout layout;
    private final Path dir;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private ChildProcess process;

    public S3Server(StackLayout layout, Path dir, int port) {
        this.layout = layout;
        this.dir = dir;
        this.port = port > 0 ? port : FreePorts.next();
        this.accessKey = "archiver-" + randomHex(6);
        this.secretKey = randomHex(20);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Creates {@code bucket} if it does not exist (a directory of the filesystem backend). */
    public S3Server createBucket(String bucket) {
        try {
            Files.createDirectories(dir.resolve("objects").resolve(bucket));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create bucket " + bucket, e);
        }
    }

    /**
     * S3Proxy's JIT: C2 for the JDK's digests only. Its CPU is the archive's bytes: the SDK signs each 128 KiB chunk of a put
     * over plain HTTP (aws-chunked) and sends the object's SHA-256 in a trailer, so S3Proxy runs SHA-256 twice over every byte
     * put (the chunk signatures, the checksum), and MD5 for the ETag. C1 has no intrinsic for them: with C1 alone
     * ({@link StackLayout#SERVER_JIT_OPTION}) they took half its CPU (JFR samples, docs/performance.md). Here C2 is held back
     * for everything (its thresholds a hundredfold, as C1 alone kept its compiler threads' cost down) but for
     * {@code sun.security.provider}, whose methods reach C2, with its SHA-256 and MD5 intrinsics, after their usual counts.
     */
    static final List<String> JIT_OPTIONS = List.of("-XX:Tier4InvocationThreshold=500000", "-XX:Tier4MinInvocationThreshold=60000",
            "-XX:Tier4CompileThreshold=1500000", "-XX:Tier4BackEdgeThreshold=4000000", "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.*::*,0.01");

    private List<String> command(Path properties) {
        List<String> command = new java.util.ArrayList<>(List.of(StackLayout.java(), "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(JIT_OPTIONS);
        command.addAll(List.of("-jar", layout.s3proxyJar().toString(), "--properties", properties.toString()));
        return command;
    }

    public synchronized S3Server start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        Path properties = writeProperties();
        process = ChildProcess.start("s3proxy",
                command(properties),
                dir, dir.resolve("s3proxy.log"), Map.of());
        process.awaitListening("127.0.0.1", port, Duration.ofSeconds(60));
        return this;
    }

    private Path writeProperties() {
        try {
            Files.createDirectories(dir.resolve("objects"));
            Path file = dir.resolve("s3proxy.properties");
            Files.writeString(file, String.join("\n",
                    "s3proxy.endpoint=" + endpoint(),
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + accessKey,
                    "s3proxy.credential=" + secretKey,
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.filesystem.basedir=" + dir.resolve("objects"),
                    ""));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the S3Proxy configuration in " + dir, e);
        }
    }

    /** Kills the server with SIGKILL; its objects stay on disk. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    @Override
    public void close() {
        kill();
    }
}
