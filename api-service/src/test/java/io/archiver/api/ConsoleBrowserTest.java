package io.archiver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.archiver.operations.tokens.Roles;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The console in Debian's headless Chromium (Selenium): an operator signs in with a token, sees the runs, triggers a dry run,
 * watches a run's progress bar reach 100% as the ledger moves, and opens a failed batch's reason; a viewer sees the policies
 * and no trigger. Screenshots are kept under target/console-screenshots.
 */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/console/index.html")
    URL console;

    WebDriver browser;

    @BeforeEach
    void browser() throws IOException {
        // not skipped when missing: a console test that does not run proves nothing
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER))
                .as("Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)").isTrue();
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorTriggersWatchesARunReach100PercentAndOpensAFailedBatchsReason() throws Exception {
        sql("CREATE TABLE IF NOT EXISTS run (id BIGINT NOT NULL PRIMARY KEY, msg_sent_date BIGINT NOT NULL, body VARCHAR(64),"
                + " KEY idx_run_msg_sent_date (msg_sent_date))");
        String running = "console-" + UUID.randomUUID().toString().substring(0, 8);
        String failed = "console-failed-" + UUID.randomUUID().toString().substring(0, 8);
        run(running, "RUNNING", null);
        batch(running, 1, "DELETED", null);
        batch(running, 2, "PLANNED", null);
        run(failed, "COMPLETED", "PARTIAL");
        batch(failed, 1, "DELETED", null);
        batch(failed, 2, "FAILED", "OBJECT_KEY_CONFLICT");

        browser.get(console.toString());
        browser.findElement(By.id("token")).sendKeys(TestTokens.token("olga", Roles.OPERATOR));
        browser.findElement(By.id("sign-in-button")).click();
        until(() -> browser.findElements(By.id("run-" + running)).size() == 1);
        assertThat(browser.getPageSource()).doesNotContain("eyJ");
        screenshot("1-runs");

        browser.findElement(By.id("trigger-dry-run")).click();
        browser.findElement(By.id("trigger-button")).click();
        until(() -> browser.findElement(By.id("trigger-result")).getText().startsWith("requested run-"));
        screenshot("2-dry-run-requested");

        browser.get(console + "#run/" + running);
        until(() -> browser.findElement(By.id("run-percent")).getText().equals("50%"));
        screenshot("3-run-at-50");
        sql("UPDATE archive_batch SET state = 'DELETED', rows_exported = 100, rows_uploaded = 100, rows_removed = 100,"
                + " object_key = 'run_archive_20261206/b.csv', object_bytes = 1000 WHERE batch_id = '" + running + "-2'");
        sql("UPDATE archive_run SET state = 'COMPLETED', outcome = 'SUCCEEDED', completed_at_ms = " + System.currentTimeMillis()
                + " WHERE run_id = '" + running + "'");
        until(() -> browser.findElement(By.id("run-percent")).getText().equals("100%"));
        assertThat(browser.findElement(By.id("run-bar")).getAttribute("style")).contains("width: 100%");
        screenshot("4-run-at-100");

        browser.get(console + "#run/" + failed);
        until(() -> browser.findElements(By.cssSelector("#batch-2 .failed")).size() == 1);
        browser.findElement(By.cssSelector("#batch-2 .failed")).click();
        until(() -> browser.findElement(By.id("failure-detail")).getText().contains("OBJECT_KEY_CONFLICT"));
        assertThat(browser.findElement(By.id("failure-detail")).getText()).contains("another object under the key");
        screenshot("5-failed-batch-reason");
    }

    @Test
    void aViewerSeesThePoliciesAndNoTrigger() throws Exception {
        browser.get(console.toString());
        browser.findElement(By.id("token")).sendKeys(TestTokens.token("vic", Roles.VIEWER));
        browser.findElement(By.id("sign-in-button")).click();
        until(() -> browser.findElement(By.id("runs")).isDisplayed());
        assertThat(browser.findElement(By.id("trigger")).isDisplayed()).isFalse();
        browser.get(console + "#policies");
        until(() -> browser.findElements(By.id("policy-run")).size() == 1);
        assertThat(browser.findElements(By.tagName("button")).stream().filter(b -> b.isDisplayed()).map(b -> b.getText()))
                .containsOnly("Sign out");
        screenshot("6-viewer-policies");
    }

    private void until(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> condition.getAsBoolean());
    }

    private void screenshot(String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private void run(String runId, String state, String outcome) throws SQLException {
        long now = System.currentTimeMillis();
        sql("INSERT INTO archive_run (run_id, policy, table_name, cutoff_epoch_ms, mode, run_date, dry_run, requested_by, state, outcome,"
                + " batches_planned, rows_found, requested_at_ms, planned_at_ms, completed_at_ms) VALUES ('" + runId + "', 'run', 'run', "
                + (now - 1000) + ", 'DELETE', CURRENT_DATE, false, 'api:olga', '" + state + "', " + (outcome == null ? "NULL" : "'" + outcome + "'")
                + ", 2, 200, " + (now - 4000) + ", " + (now - 3500) + ", " + (outcome == null ? "NULL" : String.valueOf(now)) + ")");
    }

    private void batch(String runId, int seq, String state, String reason) throws SQLException {
        boolean deleted = state.equals("DELETED");
        sql("INSERT INTO archive_batch (batch_id, run_id, seq, first_id, last_id, expected_rows, state, rows_exported, rows_uploaded,"
                + " rows_removed, object_key, object_bytes, failed_stage, failure_reason, failure_detail, updated_at_ms) VALUES ('" + runId + "-"
                + seq + "', '" + runId + "', " + seq + ", " + (seq * 100 - 99) + ", " + (seq * 100) + ", 100, '" + state + "', "
                + (deleted ? "100, 100, 100, 'run_archive_20261206/" + runId + "-" + seq + ".csv', 1000" : "NULL, NULL, NULL, NULL, NULL") + ", "
                + (reason == null ? "NULL, NULL, NULL" : "'UPLOAD', '" + reason + "', 'another object under the key'") + ", "
                + System.currentTimeMillis() + ")");
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }
}
