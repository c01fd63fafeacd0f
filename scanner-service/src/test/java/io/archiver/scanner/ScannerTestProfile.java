package io.archiver.scanner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.archiver.localstack.quarkus.LocalStackResource;
import io.archiver.support.testing.InMemoryChannels;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The scanner's fast tests: its channels in memory, the real MariaDB and S3 server of the local stack (the bucket for run manifests) (the ledger migrated by Flyway at
 * start, as in production). Every policy archives the same {@code run} table; each test has a policy of its own, so that
 * one test's run in flight never rejects another's ({@code RUN_IN_FLIGHT}) and each policy's first run is its own.
 */
public class ScannerTestProfile implements QuarkusTestProfile {

    /** Runs at once: no confirmation of a first run, the whole table allowed; batches of 4 rows. */
    public static final String PLANNED = "planned";
    /** Same, for the run in flight that rejects a second request. */
    public static final String IN_FLIGHT = "inflight";
    /** Same, for a request that finds nothing eligible. */
    public static final String EMPTY = "empty";
    /** Its first run waits for confirmation ({@code FIRST_RUN_OF_POLICY}). */
    public static final String HELD = "held";
    /** MOVE into {@link #MISFIT_TABLE}, whose columns are not run's: refused before each run ({@code TABLE_DOES_NOT_FIT_POLICY}). */
    public static final String MISFIT = "misfit";
    public static final String MISFIT_TABLE = "run_misfit_archive";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(Map.of("archiver.retry.max-attempts", "3", "archiver.retry.initial-backoff", "PT0.1S",
                "archiver.retry.max-backoff", "PT0.2S"));
        return config;
    }

    /** The tests' policies, as io.archiver.policy.TestPolicies applies them to the control database (see RunRequestHandlerTest). */
    public static Map<String, String> policies() {
        Map<String, String> settings = new HashMap<>();
        for (String policy : List.of(PLANNED, IN_FLIGHT, EMPTY, HELD)) {
            String at = "ARCHIVER_POLICIES_" + policy.toUpperCase(java.util.Locale.ROOT) + "_";
            settings.put(at + "TABLE", "run");
            settings.put(at + "BATCH_SIZE", "4");
            // the tests' old rows may be all the table holds: only the first-run rail holds a run here
            settings.put(at + "ALLOW_WHOLE_TABLE", "true");
            settings.put(at + "MAX_SHARE_PER_RUN", "1");
            settings.put(at + "CONFIRM_FIRST_RUN", String.valueOf(policy.equals(HELD)));
        }
        settings.put("ARCHIVER_POLICIES_MISFIT_TABLE", "run");
        settings.put("ARCHIVER_POLICIES_MISFIT_MODE", "MOVE");
        settings.put("ARCHIVER_POLICIES_MISFIT_ARCHIVE_TABLE", MISFIT_TABLE);
        settings.put("ARCHIVER_POLICIES_MISFIT_CONFIRM_FIRST_RUN", "false");
        return settings;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LocalStackResource.class, Map.of("servers", "mysql,s3")),
                new TestResourceEntry(InMemoryChannels.class, Map.of("incoming", "requests,shards,uploads,completions", "outgoing",
                        "batches-out,runs-out,requests-out")));
    }
}
