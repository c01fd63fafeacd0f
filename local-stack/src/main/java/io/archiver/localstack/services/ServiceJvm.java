package io.archiver.localstack.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JDK the local stack runs the services on, and their AOT cache (JDK 25 and later: JEP 483's classes loaded and linked
 * ahead of time, JEP 515's method profiles), from two environment variables:
 * <ul>
 * <li>{@code ARCHIVER_SERVICE_JAVA_HOME}: a JDK's home; by default a JDK of the release the image runs ({@link #IMAGE_FEATURE}):
 * the stack's own if it is one, else the first in {@code /usr/lib/jvm} (where Debian's packages put JDKs), else the stack's own,
 * which {@link #describe} then says is not the image's;</li>
 * <li>{@code ARCHIVER_SERVICE_AOT_CACHE_DIR}: a directory of one {@code <module>.aot} per service. A service whose cache is
 * there, and newer than its jars, starts with {@code -XX:AOTCache=}; {@link AotTraining} writes the caches with a run of its
 * own (never a measured one).</li>
 * </ul>
 * Unset, the services run on the image's JDK release where one is found, without a cache.
 */
public record ServiceJvm(Path javaHome, int feature, Optional<Path> aotCacheDir) {

    public static final String JAVA_HOME_ENV = "ARCHIVER_SERVICE_JAVA_HOME";
    public static final String AOT_CACHE_DIR_ENV = "ARCHIVER_SERVICE_AOT_CACHE_DIR";

    /**
     * The JDK feature release of the services' image ({@code deploy/docker/Dockerfile.jvm}'s base image; ImageJvmOptionsTest
     * ties the two), so that what the local stack, the tests and the benchmark run is what ships.
     */
    public static final int IMAGE_FEATURE = 25;

    /** Where a JDK of the image's release is looked for when {@link #JAVA_HOME_ENV} is unset. */
    static final Path JDK_DIR = Path.of("/usr/lib/jvm");

    /** The first JDK with {@code -XX:AOTCacheOutput} (JEP 514) and method profiles in the cache (JEP 515). */
    static final int AOT_FEATURE = 25;

    public ServiceJvm {
        if (aotCacheDir.isPresent() && feature < AOT_FEATURE) {
            throw new IllegalStateException(AOT_CACHE_DIR_ENV + " needs a JDK " + AOT_FEATURE + " or later for the services ("
                    + JAVA_HOME_ENV + "); " + javaHome + " is " + feature);
        }
    }

    /** From the environment of this JVM. */
    public static ServiceJvm fromEnvironment() {
        return from(System.getenv());
    }

    public static ServiceJvm from(Map<String, String> env) {
        return from(env, JDK_DIR);
    }

    static ServiceJvm from(Map<String, String> env, Path jdkDir) {
        String home = env.get(JAVA_HOME_ENV);
        Path javaHome = home == null || home.isBlank() ? imageReleaseJdk(jdkDir) : Path.of(home).toAbsolutePath();
        if (!Files.isExecutable(javaHome.resolve("bin").resolve("java"))) {
            throw new IllegalStateException(JAVA_HOME_ENV + "=" + home + " has no bin/java");
        }
        String dir = env.get(AOT_CACHE_DIR_ENV);
        return new ServiceJvm(javaHome, feature(javaHome), dir == null || dir.isBlank() ? Optional.empty()
                : Optional.of(Path.of(dir).toAbsolutePath()));
    }

    /** The stack's own JDK if it is of the image's release, else the first such JDK in {@code jdkDir}, else the stack's own. */
    static Path imageReleaseJdk(Path jdkDir) {
        Path own = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() == IMAGE_FEATURE || !Files.isDirectory(jdkDir)) {
            return own;
        }
        try (Stream<Path> homes = Files.list(jdkDir)) {
            return homes.filter(Files::isDirectory).sorted()
                    .filter(h -> Files.isExecutable(h.resolve("bin").resolve("java")) && Files.isRegularFile(h.resolve("release")))
                    .filter(h -> releaseFeature(h) == IMAGE_FEATURE).findFirst().orElse(own);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + jdkDir, e);
        }
    }

    /** The feature release a JDK's {@code release} file names, 0 when it names none that can be read. */
    private static int releaseFeature(Path javaHome) {
        try {
            return feature(javaHome);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    public String java() {
        return javaHome.resolve("bin").resolve("java").toString();
    }

    /** The cache file of {@code module}, whether or not it exists yet. */
    public Optional<Path> cacheFile(String module) {
        return aotCacheDir.map(dir -> dir.resolve(module + ".aot"));
    }

    /**
     * {@code -XX:AOTCache=} for a service whose cache is fresh, nothing otherwise. A stale cache (older than a file of the
     * service's {@code target/quarkus-app}) is not passed: the JVM would refuse it, with a warning, as it refuses any cache
     * whose classpath changed.
     */
    public List<String> cacheOptions(String module, Path quarkusApp) {
        return cacheFile(module).filter(file -> isFresh(file, quarkusApp)).map(file -> List.of("-XX:AOTCache=" + file)).orElse(List.of());
    }

    /** Whether every service has a cache newer than its jars. */
    public boolean cachesFresh(Path repositoryRoot) {
        return Stream.of(ArchiverService.values())
                .allMatch(s -> cacheFile(s.module()).filter(f -> isFresh(f, quarkusApp(repositoryRoot, s))).isPresent());
    }

    /** One line for reports: which JDK, and whether the caches are used. */
    public String describe(Path repositoryRoot) {
        String jdk = "Java " + version(javaHome) + " (" + javaHome + ")" + (feature == IMAGE_FEATURE ? ""
                : ", not the image's Java " + IMAGE_FEATURE + " (set " + JAVA_HOME_ENV + " to a JDK " + IMAGE_FEATURE + ")");
        if (aotCacheDir.isEmpty()) {
            return jdk + ", no AOT cache";
        }
        return jdk + ", AOT cache " + aotCacheDir.get() + (cachesFresh(repositoryRoot) ? "" : " (missing or stale for some service: not used for it)");
    }

    static Path quarkusApp(Path repositoryRoot, ArchiverService service) {
        return repositoryRoot.resolve(service.module()).resolve("target/quarkus-app");
    }

    static boolean isFresh(Path cache, Path quarkusApp) {
        if (!Files.isRegularFile(cache)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(quarkusApp)) {
            FileTime cached = Files.getLastModifiedTime(cache);
            return files.filter(Files::isRegularFile).noneMatch(f -> modified(f).compareTo(cached) > 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + quarkusApp, e);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JDK's feature release from its {@code release} file ({@code JAVA_VERSION="25.0.3"}). */
    public static int feature(Path javaHome) {
        String version = version(javaHome);
        String first = version.split("[.+-]")[0];
        try {
            return Integer.parseInt(first);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("cannot read the Java version of " + javaHome + ": " + version, e);
        }
    }

    static String version(Path javaHome) {
        if (javaHome.equals(Path.of(System.getProperty("java.home")))) {
            return System.getProperty("java.version");
        }
        try (Stream<String> lines = Files.lines(javaHome.resolve("release"))) {
            return lines.filter(l -> l.startsWith("JAVA_VERSION=")).findFirst().map(l -> l.substring("JAVA_VERSION=".length()).replace("\"", ""))
                    .orElseThrow(() -> new IllegalStateException(javaHome + "/release has no JAVA_VERSION"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + javaHome.resolve("release") + " (" + JAVA_HOME_ENV + " must name a JDK's home)", e);
        }
    }
}
