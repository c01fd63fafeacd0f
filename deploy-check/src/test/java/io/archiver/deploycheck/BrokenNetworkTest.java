package io.archiver.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Egress must follow the addresses the services are configured with. */
class BrokenNetworkTest {

    @TempDir
    Path tmp;

    @Test
    void devWithoutItsMinioEgressCannotReachS3() {
        Path deploy = Fixtures.copyDeploy(tmp);
        Fixtures.replaceFirst(deploy.resolve("overlays/dev/kustomization.yaml"), "  - minio-egress.yaml\n", "");
        assertThat(Fixtures.problems(deploy.resolve("overlays/dev"), "archiver-dev"))
                .contains("the egress NetworkPolicies of uploader-service do not allow port 9000 (S3 http://minio:9000)",
                        "the egress NetworkPolicies of deleter-service do not allow port 9000 (S3 http://minio:9000)");
    }

    @Test
    void aDatabaseOnAnotherPortNeedsItsEgress() {
        Path deploy = Fixtures.copyDeploy(tmp);
        Fixtures.replaceFirst(deploy.resolve("overlays/prod/patches/archiver-config.yaml"), "db.internal:3306", "db.internal:3307");
        assertThat(Fixtures.problems(deploy.resolve("overlays/prod"), "archiver"))
                .anySatisfy(p -> assertThat(p).startsWith("the egress NetworkPolicies of exporter-service do not allow port 3307"));
    }
}
