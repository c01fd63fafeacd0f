package io.archiver.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The repository, and copies of deploy/ that tests may break. */
final class Fixtures {

    static final Path ROOT = RepoRoot.locate();
    static final Path DEPLOY = ROOT.resolve("deploy");

    private Fixtures() {
    }

    /** Renders {@code kustomizationDir} and returns every problem the validator and the consistency checks find. */
    static List<String> problems(Path kustomizationDir, String namespace) {
        List<ObjectNode> docs = Kustomize.build(kustomizationDir);
        List<String> problems = new ArrayList<>(new ManifestValidator().validate(docs));
        problems.addAll(new DeployChecks(ROOT).check(docs, namespace));
        return problems;
    }

    /** A copy of deploy/ under {@code dir}. */
    static Path copyDeploy(Path dir) {
        Path target = dir.resolve("deploy");
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(DEPLOY.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Replaces the first occurrence of {@code from} in {@code file} (which must contain it). */
    static void replaceFirst(Path file, String from, String to) {
        try {
            String text = Files.readString(file);
            int at = text.indexOf(from);
            if (at < 0) {
                throw new AssertionError(file + " does not contain " + from);
            }
            Files.writeString(file, text.substring(0, at) + to + text.substring(at + from.length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void append(Path file, String text) {
        try {
            Files.writeString(file, Files.readString(file) + text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
