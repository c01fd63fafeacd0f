package io.archiver.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The report's CPU accounting from figures made up here: CPU per archived row of each tool, everything
 * counted, and the budget that 2x pt-archiver's rows/s leaves per row on this machine's cores.
 */
class ReportCpuTest {

    @Test
    void countsEveryProcessOfEachToolPerArchivedRowAndTheBudgetTheTargetLeaves() {
        Results results = results();

        String report = Report.render(results);

        // services 4 x 12 s, of which 4 x 5 s in compiler threads; Kafka 6, S3Proxy 6, MariaDB 18 s; 600,000 rows
        assertThat(report).contains("Archiver        130.0 = services 80.0 (of which JIT compiler threads 33.3) + Kafka and S3Proxy 10.0 + 10.0"
                + " (of which JIT compiler threads 5.0) + mariadbd 30.0");
        assertThat(report).contains("kafka (KRaft)     C# CompilerThre 2.0 s, kafka-request-h 1.5 s; of 6.0 CPU s");
        assertThat(report).contains("pt-archiver      58.0 = the tool 40.0 + mariadbd 14.0 + upload 4.0 (aws CLI + S3Proxy)");
        assertThat(report).contains("floor            30.0 = the mariadb client 5.0 + mariadbd 20.0 + upload 5.0 (aws CLI + S3Proxy)");
        // pt-archiver: 600,000 rows in 30 + 5 s = 17,142.9 rows/s; twice that on the machine's cores
        int cores = BenchmarkMain.machineCores();
        String budget = String.format(Locale.ROOT, "%.1f", cores * 1e6 / (2 * 600_000 / 35.0));
        assertThat(report).contains("CPU budget: 34,286 rows/s on " + cores + " cores leaves at most " + budget + " us of CPU per archived row");
        assertThat(report).contains("Archiver took 130.0 us (91.7 without the JIT compilation of its services, Kafka and S3Proxy), the floor, which verifies nothing, 30.0 us");
        assertThat(report).contains("[FAIL] 4. end to end >= 2x pt-archiver with its upload")
                .contains("[FAIL] at 1,000,000 rows first run: 15,000 vs 17,143 rows/s = 0.88x >= 2x");
    }

    @Test
    void anUploadWhoseServerWasNotFoundIsNotCountedAsFree() {
        Results results = results();
        results.peer(PeerBench.PT_ARCHIVER).uploadCpuSeconds = Double.NaN;

        String report = Report.render(results);

        assertThat(report).contains("pt-archiver       n/a = the tool 40.0 + mariadbd 14.0 + upload n/a (aws CLI + S3Proxy)");
    }

    @Test
    void theBudgetIsTheMachinesCoreSecondsPerRowAtTheTargetRate() {
        assertThat(Report.budgetMicrosPerRow(2, 40_000)).isEqualTo(50.0);
        assertThat(Report.budgetMicrosPerRow(4, 40_000)).isEqualTo(100.0);
        assertThat(Report.budgetMicrosPerRow(2, 0)).isNaN();
    }

    static Results results() {
        Results results = new Results();
        results.rows = 1_000_000;
        results.eligibleShare = 0.6;
        Results.Archiver a = results.archiver;
        a.outcome = "SUCCEEDED";
        a.rowsRemoved = 600_000;
        a.eligibleBefore = 600_000;
        a.seconds = 40;
        for (String service : new String[] { "scanner-service", "exporter-service", "uploader-service", "deleter-service" }) {
            a.services.put(service, new Results.ProcessFigures(service, 1, 300_000, 200_000, 300_000, 12.0,
                    Map.of("C# CompilerThre", 5.0, "executor-thread", 6.0, "vert.x-eventloo", 1.0), 0.0));
        }
        a.infraCpuSeconds.put(ArchiverBench.KAFKA, 6.0);
        a.infraCpuSeconds.put(ArchiverBench.S3PROXY, 6.0);
        a.infraCpuSeconds.put(ArchiverBench.MARIADB, 18.0);
        a.infraThreadCpuSeconds.put(ArchiverBench.KAFKA, Map.of("C# CompilerThre", 2.0, "kafka-request-h", 1.5));
        a.infraThreadCpuSeconds.put(ArchiverBench.S3PROXY, Map.of("C# CompilerThre", 1.0, "qtp#######-##", 4.0));
        a.benchmarkCpuSeconds = 3.0;

        results.peers.add(peer(PeerBench.PT_ARCHIVER, 30, 5, 24, 8.4, 2.4));
        results.peers.add(peer(PeerBench.FLOOR, 10, 3, 3, 12, 3));
        return results;
    }

    /** A peer that archived 600,000 rows in the given seconds with the given CPU seconds. */
    private static Results.Peer peer(String name, double toolSeconds, double uploadSeconds, double toolCpu, double mysqlCpu, double uploadCpu) {
        Results.Peer peer = new Results.Peer();
        peer.name = name;
        peer.ran = true;
        peer.rows = 600_000;
        peer.toolSeconds = toolSeconds;
        peer.uploadSeconds = uploadSeconds;
        peer.toolCpuSeconds = toolCpu;
        peer.mysqlCpuSeconds = mysqlCpu;
        peer.uploadCpuSeconds = uploadCpu;
        return peer;
    }
}
