package io.archiver.localstack.services;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.archiver.localstack.process.ChildProcess;
import io.archiver.localstack.process.FreePorts;

/**
 * One Archiver service running as its prod-mode jar ({@code target/quarkus-app/quarkus-run.jar})
 * in a process of its own, configured only through environment variables.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ArchiverService service;
    private final ServiceJvm jvm;
    private final Path jar;
    private final Path workDir;
    private final Map<String, String> env;
    private final int httpPort;
    /** The module, with the instance number when a fleet runs more than one of it (for logs and reports). */
    private final String name;
    private List<String> jvmOptions = List.of();
    private volatile ChildProcess process;

    public ServiceProcess(ArchiverService service, Path repositoryRoot, Path workDir, Map<String, String> env) {
        this(service, repositoryRoot, workDir, env, ServiceJvm.fromEnvironment());
    }

    /** On the JDK, and with the AOT cache, of {@code jvm} instead of those the environment names. */
    public ServiceProcess(ArchiverService service, Path repositoryRoot, Path workDir, Map<String, String> env, ServiceJvm jvm) {
        this(service, repositoryRoot, workDir, env, jvm, service.module());
    }

    /** The {@code instance}-th of its service (1 for the first): named {@code <module>-<instance>} from the second on. */
    ServiceProcess(ArchiverService service, Path repositoryRoot, Path workDir, Map<String, String> env, int instance) {
        this(service, repositoryRoot, workDir, env, ServiceJvm.fromEnvironment(), instance == 1 ? service.module() : service.module() + "-" + instance);
    }

    private ServiceProcess(ArchiverService service, Path repositoryRoot, Path workDir, Map<String, String> env, ServiceJvm jvm, String name) {
        this.name = name;
        this.service = service;
        this.jvm = jvm;
        this.jar = repositoryRoot.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn -DskipTests install` at the repository root first");
        }
        this.workDir = workDir;
        this.httpPort = FreePorts.next();
        this.env = new HashMap<>(env);
        this.env.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
    }

    public ArchiverService service() {
        return service;
    }

    /** The module's name, with {@code -N} for the N-th instance of a fleet from the second on. */
    public String name() {
        return name;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /**
     * C2 compiles a method after ten times the invocations and loop iterations the JVM's defaults ask, so that
     * code which runs a few times per event (the Kafka, S3, Hibernate and Vert.x calls around each batch) stays
     * C1-compiled instead of being compiled again by C2 on every run as more of it crosses the thresholds, while
     * the per-row code, called millions of times, still reaches C2 within its first batches. The benchmark
     * measured what it saves (docs/performance.md): most of the JIT compiler threads' CPU on the services'
     * second run, with the work threads taking as much CPU as before.
     */
    public static final List<String> TIER4_THRESHOLDS = List.of("-XX:Tier4InvocationThreshold=50000", "-XX:Tier4MinInvocationThreshold=6000",
            "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000");

    /**
     * C1 only: no C2 compilation at all. For the scanner and the uploader, whose work per row is small (the scanner hands
     * each planned key to a range cut, the uploader does a HEAD and a small read per batch): C2 cost them more CPU than its
     * faster code saved on a first run. The exporter and the deleter keep C2 for their per-row encoding, parsing and SHA-256
     * (an intrinsic only C2 uses): with C1 only they took from half as much CPU again to nearly twice as much
     * (docs/performance.md).
     */
    public static final List<String> C1_ONLY = List.of("-XX:TieredStopAtLevel=1");

    /**
     * On Java 23 and later (the image's 25): Netty's use of {@code sun.misc.Unsafe} memory access stays allowed, as on Java 17,
     * without the four WARNING lines Java 24 and later print to stderr at its first use (JEP 498), which broke the services'
     * one-JSON-object-per-line log. Java 17 does not know the option and would refuse to start, so it is added by release.
     */
    public static final String UNSAFE_MEMORY_ACCESS = "--sun-misc-unsafe-memory-access=allow";
    static final int UNSAFE_MEMORY_ACCESS_FEATURE = 23;

    /**
     * The JVM options the services' image runs with: {@code deploy/docker/Dockerfile.jvm} starts them through
     * ubi9/openjdk-25-runtime's {@code run-java.sh}, which adds the heap-sizing options below (and
     * {@code -XX:MaxRAMPercentage=80.0}, here {@code -Xmx256m} instead), with the Serial collector as the Dockerfile's
     * {@code GC_CONTAINER_OPTIONS} asks (the JVM's own choice on the one CPU a service's pod is given). The services' live
     * data is small (10-35 MB): Serial sizes the heap by its occupancy alone, takes no CPU between collections, and costs the
     * services less CPU than G1's concurrent marking and refinement (docs/performance.md). G1, which ran before, sized the
     * heap by the share of wall-clock time spent in pauses, so on a busy machine it grew the heap in steps of about 110 MB
     * at moments of contention, and a longer run met more of them: the uploader's peak RSS rose by half from 1M to 5M rows.
     * Each service adds its {@link #jitOptions JIT options}. The local stack, the tests and the benchmark run what ships,
     * not the JVM's defaults on the machine at hand.
     */
    public static final List<String> IMAGE_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20",
            "-XX:GCTimeRatio=4", "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError");

    /**
     * The JIT options of a service's image: the Dockerfile's {@code JIT_OPTIONS} build argument, {@link #C1_ONLY} for the
     * scanner and the uploader (docs/deploy.md builds them so), {@link #TIER4_THRESHOLDS} (its default) for the others.
     */
    public static List<String> jitOptions(ArchiverService service) {
        return switch (service) {
            case SCANNER, UPLOADER -> C1_ONLY;
            case EXPORTER, DELETER -> TIER4_THRESHOLDS;
        };
    }

    /**
     * Opt-in JVM options added to every service's command, for profiling a run (never set by the stack itself), split on
     * white space, {@code {service}} replaced by the module's name: {@code -XX:StartFlightRecording=filename=/tmp/{service}.jfr}.
     */
    public static final String EXTRA_JVM_OPTIONS_ENV = "ARCHIVER_SERVICE_JVM_OPTIONS";

    /**
     * The same for one service alone, added after {@link #EXTRA_JVM_OPTIONS_ENV}'s: {@code ARCHIVER_SERVICE_JVM_OPTIONS_SCANNER},
     * {@code _EXPORTER}, {@code _UPLOADER}, {@code _DELETER} (to profile one service, or to try an option on it alone).
     */
    static String serviceJvmOptionsEnv(ArchiverService service) {
        return EXTRA_JVM_OPTIONS_ENV + "_" + service.name();
    }

    static List<String> extraJvmOptions(String value, String module) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Stream.of(value.trim().split("\\s+")).map(option -> option.replace("{service}", module)).toList();
    }

    public synchronized ServiceProcess start(List<String> jvmOptions) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + workDir, e);
        }
        this.jvmOptions = List.copyOf(jvmOptions);
        List<String> command = new ArrayList<>(List.of(jvm.java(), "-Xmx256m"));
        command.addAll(IMAGE_JVM_OPTIONS);
        if (jvm.feature() >= UNSAFE_MEMORY_ACCESS_FEATURE) {
            command.add(UNSAFE_MEMORY_ACCESS);
        }
        command.addAll(jitOptions(service));
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:AOTCacheOutput="))) {
            command.addAll(jvm.cacheOptions(service.module(), jar.getParent()));
        }
        command.addAll(jvmOptions);
        command.addAll(extraJvmOptions(System.getenv(EXTRA_JVM_OPTIONS_ENV), service.module()));
        command.addAll(extraJvmOptions(System.getenv(serviceJvmOptionsEnv(service)), service.module()));
        command.addAll(List.of("-jar", jar.toString()));
        process = ChildProcess.start(service.module(), command, workDir, workDir.resolve(service.module() + ".log"), env);
        return this;
    }

    /** Waits until {@code /q/health/ready} answers 200 (UP); fails with the log's tail otherwise. */
    public ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!isAlive()) { // synchronized: not in the middle of a restart()
                throw new IllegalStateException(service.module() + " exited; log tail:\n" + process.tail());
            }
            try {
                HttpResponse<String> response = health("ready");
                if (response.statusCode() == 200) {
                    return this;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            pause();
        }
        String tail = process.tail();
        String dump = process.threadDump(Duration.ofSeconds(5)) ? "; its thread dump is at the end of " + process.log() : "";
        throw new IllegalStateException(service.module() + " was not ready within " + timeout + " (last: " + last + ")" + dump
                + "; log tail:\n" + tail);
    }

    /** A thread dump appended to the service's log (SIGQUIT), waited for up to {@code timeout}; whether it arrived. */
    public synchronized boolean threadDump(Duration timeout) {
        return process != null && process.threadDump(timeout);
    }

    /** GET {@code /q/health/<kind>}: {@code live}, {@code ready}, {@code started}, or "" for all. */
    public HttpResponse<String> health(String kind) throws IOException {
        return get("/q/health" + (kind.isEmpty() ? "" : "/" + kind));
    }

    /** GET a path of the service's HTTP port, for example {@code /q/metrics}. */
    public HttpResponse<String> get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path log() {
        return process.log();
    }

    /** The operating-system process id of the service's JVM (for /proc sampling: RSS, CPU). */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(service.module() + " is not started");
        }
        return process.pid();
    }

    /** SIGTERM, as on a normal stop (shutdown hooks run, a training JVM writes its AOT cache); SIGKILL after {@code grace}. */
    public synchronized void stop(Duration grace) {
        if (process != null) {
            process.stop(grace);
        }
    }

    /** SIGKILL, then started again with the same JVM options: what a kubelet does when a liveness probe fails. */
    public synchronized void restart() {
        kill();
        start(jvmOptions);
    }

    /** SIGKILL, as a crash. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
