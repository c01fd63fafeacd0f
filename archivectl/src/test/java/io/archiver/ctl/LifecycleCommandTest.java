package io.archiver.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import io.archiver.ctl.Cli.Result;
import io.archiver.localstack.LocalStack;
import io.archiver.localstack.process.StackLayout;
import io.archiver.localstack.s3.S3MockServer;
import io.archiver.objectstore.lifecycle.LifecycleRules;
import io.archiver.policy.ControlDatabase;
import io.archiver.policy.PolicyFile;
import io.archiver.policy.PolicySpec;
import io.archiver.policy.PolicyStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

/**
 * {@code archivectl archive lifecycle show | install} on a migrated MariaDB control database (policies run, P730D, and orders,
 * P400D) and S3Mock, which stores lifecycle configurations: the safety net installed (dry run first), a foreign rule that
 * would expire orders' objects early reported naming rule, prefix, days and policy (exit 1), kept by install, and passing
 * once it is long enough.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleCommandTest {

    private ControlDatabase db;
    private S3MockServer s3mock;
    private S3Client s3;
    private Map<String, String> env;

    @BeforeAll
    void start() throws Exception {
        db = ControlDatabase.start("archivectl-lifecycle");
        Path work = Path.of("target", "lifecycle-command").toAbsolutePath();
        LocalStack.deleteRecursively(work);
        s3mock = new S3MockServer(StackLayout.locate(work), work.resolve("s3mock")).start();
        s3 = s3mock.client();
        s3.createBucket(b -> b.bucket("archive"));
        env = new HashMap<>(Map.of("ARCHIVER_DB_URL", db.mysql.jdbcUrl(), "ARCHIVER_DB_USER", db.mysql.user(), "ARCHIVER_DB_PASSWORD",
                db.mysql.password(), "ARCHIVER_S3_BUCKET", "archive", "ARCHIVER_S3_ENDPOINT", s3mock.endpoint(), "AWS_ACCESS_KEY_ID", "s3mock",
                "AWS_SECRET_ACCESS_KEY", "s3mock", "ARCHIVER_ACTOR", "alice"));
        try (Connection connection = db.connect()) {
            new PolicyStore(connection).apply(List.of(PolicyFile.withSettings(PolicySpec.defaults("orders", "orders"),
                    Map.of("prefix", "orders-archive", "object-retention", "P400D"))), "test");
        }
    }

    @AfterAll
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (s3mock != null) {
            s3mock.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private Result ctl(String... args) {
        Result result = Cli.run(env, args);
        System.out.println("$ archivectl " + String.join(" ", args) + "\n" + result);
        return result;
    }

    private List<String> rules() {
        return new LifecycleRules(s3, "archive").read().orElseThrow().stream().map(r -> r.id() + " " + r.expiration().days()).toList();
    }

    private void replaceForeignRule(int days) {
        List<LifecycleRule> rules = new ArrayList<>(new LifecycleRules(s3, "archive").read().orElseThrow());
        rules.removeIf(r -> r.id().equals("tidy"));
        rules.add(LifecycleRule.builder().id("tidy").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("orders-archive/"))
                .expiration(e -> e.days(days)).build());
        new LifecycleRules(s3, "archive").write(rules);
    }

    @Test
    @Order(1)
    void showOnABucketWithoutRulesFindsNothingEarlyAndADryRunInstallsNothing() {
        Result show = ctl("archive", "lifecycle", "show");
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("bucket archive: 0 lifecycle rule(s)", "no rule expires an object of the 2 policies");

        Result dryRun = ctl("archive", "lifecycle", "install", "--dry-run");
        assertThat(dryRun.exitCode()).isZero();
        assertThat(dryRun.out()).contains("would install the safety net of 2 policies (margin P30D)",
                "archiver-safety-net-run  Enabled  prefix 'run-archive/'  expire after 760 days",
                "archiver-safety-net-orders  Enabled  prefix 'orders-archive/'  expire after 430 days");
        assertThat(rules()).isEmpty();
    }

    @Test
    @Order(2)
    void aForeignRuleExpiringAPolicysObjectsEarlyIsReportedAndKeptByInstall() {
        replaceForeignRule(100);
        Result show = ctl("archive", "lifecycle", "show");
        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.out()).contains("EARLY lifecycle rule 'tidy' (prefix 'orders-archive/') expires objects after 100 days, before policy"
                + " orders's object-retention P400D (400 days)");

        Result install = ctl("archive", "lifecycle", "install", "--margin", "P60D");
        assertThat(install.exitCode()).as("the early rule is still there").isEqualTo(1);
        assertThat(rules()).containsExactlyInAnyOrder("tidy 100", "archiver-safety-net-run 790", "archiver-safety-net-orders 460");
    }

    @Test
    @Order(3)
    void onceTheForeignRuleIsLongEnoughShowPassesAndInstallReplacesItsOwnRules() {
        replaceForeignRule(500);
        assertThat(ctl("archive", "lifecycle", "show").exitCode()).isZero();
        Result install = ctl("archive", "lifecycle", "install");
        assertThat(install.exitCode()).isZero();
        assertThat(rules()).containsExactlyInAnyOrder("tidy 500", "archiver-safety-net-run 760", "archiver-safety-net-orders 430");
    }

    @Test
    @Order(4)
    void aMarginUnderADayIsRefusedNamingTheOption() {
        Result install = ctl("archive", "lifecycle", "install", "--margin", "PT1H");
        assertThat(install.exitCode()).isEqualTo(2);
        assertThat(install.err()).contains("--margin must be at least P1D");
    }
}
