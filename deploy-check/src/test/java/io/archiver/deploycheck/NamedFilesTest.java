package io.archiver.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every file and test class the documents and comments name exists, and README.md stays a front door. */
class NamedFilesTest {

    @Test
    void everyFileAndTestClassThatTheDocumentsAndCommentsNameExists() {
        assertThat(NamedFiles.problems(Fixtures.ROOT)).as("names of files and tests that do not exist").isEmpty();
    }

    @TempDir
    Path repo;

    /** A small repository with one file of each kind, every name in it true. */
    @BeforeEach
    void smallRepository() throws IOException {
        write("README.md", "# Archiver\n\nSee [deploy](docs/deploy.md#kubernetes) and `deploy/base/kustomization.yaml`.\n");
        write("docs/deploy.md", "# Deploy\n\n## Kubernetes\n\nBack to [the front door](../README.md).\n");
        write("deploy/base/kustomization.yaml", "# the shape every overlay shares (docs/deploy.md)\nkind: Kustomization\n");
        write("shared/src/main/java/a/Codec.java", "package a;\n/** Held to the reader's bytes by {@code CodecTest}. */\nclass Codec {\n"
                + "    void decode() {\n    }\n}\n");
        write("app/application.properties", "\nkey=value\n");
        write("tools/run", "#!/usr/bin/env bash\necho \"# not a comment: docs/none.md\" ${#args[@]}\n");
        write("shared/src/test/java/a/CodecTest.java", "package a;\n/** {@link Codec#decode} on every input. */\nclass CodecTest {\n}\n");
    }

    @Test
    void aRepositoryWhoseNamesAreTrueHasNoProblems() {
        assertThat(NamedFiles.problems(repo)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a missing file named in Markdown | docs/deploy.md | `deploy/README-deploy.md` | docs/deploy.md:7: deploy/README-deploy.md does not exist",
            "a missing file named in a YAML comment | deploy/base/kustomization.yaml | # (deploy/README-deploy.md) "
                    + "| deploy/base/kustomization.yaml:4: deploy/README-deploy.md does not exist",
            "a missing file named in a properties comment | app/application.properties | # see docs/operations.md "
                    + "| app/application.properties:4: docs/operations.md does not exist",
            "a missing file named in a script's comment | tools/run | # builds first (see tools/build.sh) "
                    + "| tools/run:4: tools/build.sh does not exist",
            "a missing test cited in Javadoc | shared/src/main/java/a/Codec.java | /** {@code CodecReaderTest} */ "
                    + "| shared/src/main/java/a/Codec.java:8: test class CodecReaderTest does not exist",
            "a missing integration test named in Markdown | README.md | `ReplayIT` proves it | README.md:5: test class ReplayIT does not exist",
            "a member the class does not have | docs/deploy.md | `Codec#encode` | docs/deploy.md:7: Codec#encode: ",
            "a member pattern no member starts with | docs/deploy.md | `-Dtest='Codec#enc*'` | docs/deploy.md:7: Codec#enc: ",
            "a link to a missing document | README.md | [ops](docs/operations.md) | README.md:5: link docs/operations.md does not exist",
            "a link to a missing heading | README.md | [k8s](docs/deploy.md#compose) | README.md:5: link docs/deploy.md#compose: no heading #compose",
            "a link to a missing heading of its own | docs/deploy.md | [up](#quick-start) | docs/deploy.md:7: link #quick-start: no heading",
            "a file outside the repository | README.md | `../shared/DESIGN.md` | README.md:5: ../shared/DESIGN.md is outside the repository",
            "a relative file that is nowhere | docs/deploy.md | `db/ledger/V9__nothing.sql` | docs/deploy.md:7: db/ledger/V9__nothing.sql is no file",
    })
    void aPlantedWrongNameIsReported(String what, String file, String planted, String expected) throws IOException {
        Files.writeString(repo.resolve(file), "\n" + planted + "\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(NamedFiles.problems(repo)).anySatisfy(problem -> assertThat(problem).startsWith(expected));
    }

    @Test
    void urlsPackagesKubernetesNamesExamplesAndBuildOutputAreNotFileNames() throws IOException {
        write("docs/names.md", String.join("\n",
                "https://github.com/quarkusio/quarkus/blob/main/README.md and s3://archiver/run-archive/x.csv.gz",
                "io.archiver.events.Topics, `kubectl scale deployment/exporter-service`, app.kubernetes.io/part-of",
                "archive.uploads.dlq/3/0, /q/health/live, /var/lib/archiver/staging, /tmp/bench-1m.txt",
                "run-archive/run_archive_20261123_run_0000000000000000009-0000000000000040005_run-1.csv.gz",
                "deploy/overlays/<env>/patches/archiver-config.yaml, local-stack/.../V1__run_table.sql, /q/health/{live,ready}",
                "archivectl/target/archivectl-0.1.0-SNAPSHOT-runner.jar, .local-stack/logs/scanner.log, `*IT`, @QuarkusTest",
                "COMMIT, LIMIT, JIT, SIGQUIT"));
        write("shared/src/main/java/a/Fixture.java", "package a;\nclass Fixture {\n    String code = \"deploy/missing.yaml\"; // code, not prose\n}\n");
        assertThat(NamedFiles.problems(repo)).isEmpty();
    }

    @Test
    void aReadmeLongerThanTwoHundredLinesIsReported() throws IOException {
        write("README.md", "# Archiver\n" + "line\n".repeat(NamedFiles.README_MAX_LINES));
        assertThat(NamedFiles.problems(repo)).containsExactly("README.md: 201 lines, more than 200: move the detail to docs/");
    }

    private void write(String file, String text) throws IOException {
        Path path = repo.resolve(file);
        Files.createDirectories(path.getParent() == null ? repo : path.getParent());
        Files.writeString(path, text);
    }
}
