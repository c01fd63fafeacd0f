package io.archiver.deploycheck;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root: {@code -Darchiver.repo.root} (set by the module's pom), else the first parent with deploy/. */
public final class RepoRoot {

    private RepoRoot() {
    }

    public static Path locate() {
        String configured = System.getProperty("archiver.repo.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/base")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a directory with deploy/base and pom.xml)");
    }
}
