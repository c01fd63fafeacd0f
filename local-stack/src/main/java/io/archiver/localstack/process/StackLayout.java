package io.archiver.localstack.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the stack's files are: {@code local-stack/target/stack} holds the child processes'
 * classpath ({@code classes/}, {@code lib/}) and {@code s3proxy.jar}; the work directory holds the
 * servers' data and logs. The home comes from {@code -Darchiver.stack.home}, then
 * {@code ARCHIVER_STACK_HOME}, then the usual places relative to the working directory.
 */
public record StackLayout(Path home, Path workDir) {

    public static final String HOME_PROPERTY = "archiver.stack.home";

    public StackLayout {
        if (!Files.isDirectory(home.resolve("lib")) || !Files.isRegularFile(home.resolve("s3proxy.jar"))) {
            throw new IllegalStateException("the local stack is not built at " + home
                    + " (expected lib/ and s3proxy.jar): run `mvn -DskipTests install` at the repository root first");
        }
    }

    public static StackLayout locate(Path workDir) {
        return new StackLayout(findHome(), workDir);
    }

    static Path findHome() {
        String configured = System.getProperty(HOME_PROPERTY, System.getenv("ARCHIVER_STACK_HOME"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (String candidate : List.of("local-stack/target/stack", "../local-stack/target/stack", "target/stack")) {
            Path path = Path.of(candidate).toAbsolutePath().normalize();
            if (Files.isDirectory(path.resolve("lib"))) {
                return path;
            }
        }
        throw new IllegalStateException("cannot find the local stack: set -D" + HOME_PROPERTY
                + " or ARCHIVER_STACK_HOME to local-stack/target/stack, after `mvn -DskipTests install`");
    }

    /** The classpath of a child JVM that runs the stack's own main classes and the Kafka broker. */
    public String classpath() {
        return home.resolve("classes") + File.pathSeparator + home.resolve("lib") + File.separator + "*";
    }

    public Path s3proxyJar() {
        return home.resolve("s3proxy.jar");
    }

    /** Adobe's S3Mock, the server with Object Lock. */
    public Path s3mockJar() {
        return home.resolve("s3mock.jar");
    }

    /**
     * The JIT option of the stack's own servers (Kafka, S3Mock; S3Proxy adds C2 for its digests, {@code S3Server.JIT_OPTIONS}): C1 only. They serve a run of minutes, in which C2
     * compiling their code cost more CPU than the compiled code saved (the benchmark, docs/performance.md: Kafka's and S3Proxy's
     * compiler threads took 19.9 us per archived row on a first run of 300,000 rows, 2.2 with C1 alone, their other threads no
     * busier). A production broker runs for months and keeps the JVM's tiered default: there C2's cost is paid once.
     */
    public static final String SERVER_JIT_OPTION = "-XX:TieredStopAtLevel=1";

    /** The java launcher of the running JVM, used for every child. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
