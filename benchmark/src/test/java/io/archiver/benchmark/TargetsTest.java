package io.archiver.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.archiver.benchmark.Targets.Target;
import io.archiver.benchmark.Targets.Verdict;

/** Issue 25's targets judged over made-up runs: the thresholds, PASS/FAIL, and what a run cannot measure. */
class TargetsTest {

    @Test
    void aFirstRunAloneJudgesWhatItMeasuresAndNamesTheOptionTheRestNeeds() {
        Results first = ReportCpuTest.results(); // services 80 us/row, Kafka + S3 20 us, 0.88x pt-archiver

        List<Target> targets = Targets.evaluate(List.of(first));

        assertThat(targets).extracting(Target::number).containsExactly(1, 2, 3, 4, 5, 6, 7);
        Target services = targets.get(0);
        assertThat(services.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(services.parts().get(0).figure()).startsWith("80.0 us (JIT compiler threads 33.3 us of it) <= 25 us");
        assertThat(services.parts().get(1).verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(services.parts().get(1).figure()).isEqualTo("not measured in this run: needs --warm-up-rows W");
        assertThat(targets.get(1).parts().get(0).figure()).startsWith("Kafka 10.0 + S3 server 10.0 = 20.0 us <= 5 us");
        assertThat(targets.get(1).verdict()).isEqualTo(Verdict.FAIL);
        // one row count only: the second is not measured, the first fails
        assertThat(targets.get(3).parts()).extracting(Targets.Part::verdict).containsExactly(Verdict.FAIL, Verdict.NOT_MEASURED);
        assertThat(targets.get(6).verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(targets.get(6).parts().get(0).figure()).isEqualTo("not measured in this run: needs --instances 2 (or --suite)");
        assertThat(String.join("\n", Targets.lines(targets))).contains("  [FAIL] 1. the services' CPU per archived row")
                .contains("        [NOT MEASURED] warm run: not measured in this run: needs --warm-up-rows W");
    }

    @Test
    void figuresAtTheThresholdsPassAndJustOverFail() {
        Results warm = fast(1_000_000);
        warm.archiver.warmUp = new Results.WarmUp();
        setCpu(warm, 15.0, 5.0);
        warm.archiver.firstDeleteTxSeconds = 3.0;
        warm.archiver.planSeconds = 0.6; // 600,000 eligible: 1.0 s per million
        Results first = fast(1_000_000);
        setCpu(first, 25.0, 5.0);
        first.archiver.planSeconds = 0.6;

        List<Target> ok = Targets.evaluate(List.of(first, warm));
        assertThat(ok.get(0).verdict()).isEqualTo(Verdict.PASS);
        assertThat(ok.get(1).verdict()).isEqualTo(Verdict.PASS);
        assertThat(ok.get(2).parts()).filteredOn(p -> p.what().startsWith("first delete on warm")).extracting(Targets.Part::verdict)
                .containsExactly(Verdict.PASS);
        assertThat(ok.get(2).parts()).filteredOn(p -> p.what().startsWith("planning")).extracting(Targets.Part::verdict)
                .containsOnly(Verdict.PASS);

        setCpu(warm, 15.1, 5.1);
        warm.archiver.firstDeleteTxSeconds = 3.1;
        warm.archiver.planSeconds = 0.61;
        List<Target> over = Targets.evaluate(List.of(first, warm));
        assertThat(over.get(0).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(over.get(1).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(over.get(2).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void theFirstDeleteIsTheTapsCommitAndTheDeletersLogWithoutTheTap() {
        Results.Archiver a = new Results.Archiver();
        a.firstDeletedEventSeconds = 4.2;
        assertThat(Targets.firstDeleteSeconds(a)).isEqualTo(4.2);
        assertThat(Targets.firstDeleteText(a)).isEqualTo("4.2 s to the first ArchiveBatchDeleted (deleter's event line)");
        a.firstDeleteTxSeconds = 3.9;
        assertThat(Targets.firstDeleteSeconds(a)).isEqualTo(3.9);
        assertThat(Targets.firstDeleteText(a)).startsWith("3.9 s to the first committed delete transaction (tap), 4.2 s");
    }

    @Test
    void theDatabaseTargetsReadTheFloorThePinnedRunAndTheSharedOne() {
        Results shared = ReportCpuTest.results(); // MariaDB 30 us vs the floor's 20 us
        Results pinned = fast(1_000_000);
        pinned.databaseCpus = "0";
        pinned.skipPeers = true;
        pinned.archiver.writerIdleMs.addAll(List.of(1.0, 2.0));
        pinned.archiver.writerDuringMs.addAll(List.of(3.0, 4.0)); // p99 4 = 2x idle: pass
        pinned.archiver.deleteTransactionMs.addAll(List.of(100.0, 200.0));
        pinned.archiver.txTap = true;

        Target database = Targets.evaluate(List.of(shared, pinned)).get(4);

        assertThat(database.parts()).extracting(Targets.Part::what).containsExactly(
                "MariaDB's CPU per archived row vs the floor's (1,000,000 rows first run)",
                "delete transaction p99 (1,000,000 rows first run)",
                "delete transaction p99 (1,000,000 rows first run, --database-cpus 0)",
                "concurrent insert p99 <= 2x idle (1,000,000 rows first run, --database-cpus 0)",
                "concurrent insert p99, every CPU shared (1,000,000 rows first run)");
        assertThat(database.parts().get(0).figure()).isEqualTo("30.0 us vs 20.0 us = 1.50x <= 1.1x");
        assertThat(database.parts()).extracting(Targets.Part::verdict).containsExactly(Verdict.FAIL, Verdict.NOT_MEASURED, Verdict.PASS,
                Verdict.PASS, Verdict.REPORTED);
        assertThat(database.verdict()).isEqualTo(Verdict.FAIL);

        pinned.archiver.writerDuringMs.add(4.1);
        assertThat(Targets.evaluate(List.of(pinned)).get(4).parts()).filteredOn(p -> p.what().startsWith("concurrent insert"))
                .extracting(Targets.Part::verdict).containsExactly(Verdict.FAIL);
    }

    @Test
    void rssComparesTheSmallestAndTheLargestFirstRunAndASharedVolumeFails() {
        Results small = fast(1_000_000);
        Results large = fast(5_000_000);
        small.archiver.services.put("exporter-service", process("exporter-service", 100 * 1024));
        large.archiver.services.put("exporter-service", process("exporter-service", 120 * 1024));
        large.sharedVolumeManifests.add("deploy/base/staging-pvc.yaml");
        small.sharedVolumeManifests.add("deploy/base/staging-pvc.yaml");

        Target six = Targets.evaluate(List.of(small, large)).get(5);
        assertThat(six.parts().get(0).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(six.parts().get(0).figure()).isEqualTo("ReadWriteMany in deploy/base/staging-pvc.yaml");
        assertThat(six.parts().get(1).verdict()).isEqualTo(Verdict.PASS);
        assertThat(six.parts().get(1).figure()).isEqualTo("N=1,000,000 vs N=5,000,000: exporter 100 -> 120 MiB (+20.0%)");

        large.archiver.services.put("exporter-service", process("exporter-service", 121 * 1024));
        small.sharedVolumeManifests.clear();
        Target again = Targets.evaluate(List.of(small, large)).get(5);
        assertThat(again.parts().get(0).verdict()).isEqualTo(Verdict.PASS);
        assertThat(again.parts().get(1).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void scaleOutPassesWhenTwoInstancesArchiveEveryEligibleRowOnceAndPrintsThroughputPerInstanceCount() {
        Results one = fast(1_000_000);
        Results two = fast(1_000_000);
        two.instances = 2;
        two.archiver.seconds = 20;

        Target seven = Targets.evaluate(List.of(one, two)).get(6);
        assertThat(seven.verdict()).isEqualTo(Verdict.PASS);
        assertThat(seven.parts().get(1).figure())
                .isEqualTo("1 instance: 15,000 rows/s (1,000,000 rows first run); 2 instances: 30,000 rows/s (1,000,000 rows first run, 2 instances)");

        two.archiver.remainingEligible = 5;
        assertThat(Targets.evaluate(List.of(one, two)).get(6).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void aTargetWithOnlyReportedPartsIsNotAPass() {
        Target reported = new Target(9, "x", List.of(new Targets.Part("y", Verdict.REPORTED, "z")));
        assertThat(reported.verdict()).isEqualTo(Verdict.NOT_MEASURED);
        Target mixed = new Target(9, "x", new ArrayList<>(List.of(new Targets.Part("y", Verdict.REPORTED, "z"),
                new Targets.Part("y", Verdict.PASS, "z"))));
        assertThat(mixed.verdict()).isEqualTo(Verdict.PASS);
    }

    /** A completed first run: 600,000 of 600,000 eligible rows removed in 40 s, nothing left. */
    private static Results fast(long rows) {
        Results r = new Results();
        r.rows = rows;
        r.skipPeers = true;
        Results.Archiver a = r.archiver;
        a.outcome = "SUCCEEDED";
        a.rowsRemoved = 600_000;
        a.eligibleBefore = 600_000;
        a.remainingEligible = 0;
        a.seconds = 40;
        return r;
    }

    /** Services' CPU and Kafka + S3 CPU, in us per row of 600,000 rows. */
    private static void setCpu(Results r, double servicesUs, double infraUs) {
        r.archiver.services.clear();
        r.archiver.services.put("exporter-service", new Results.ProcessFigures("exporter-service", 1, 1, 1, 1, servicesUs * 0.6, Map.of(), 0));
        r.archiver.infraCpuSeconds.put(ArchiverBench.KAFKA, infraUs * 0.6 / 2);
        r.archiver.infraCpuSeconds.put(ArchiverBench.S3PROXY, infraUs * 0.6 / 2);
    }

    private static Results.ProcessFigures process(String name, long peakKb) {
        return new Results.ProcessFigures(name, 1, peakKb, 1, 1, 1.0, Map.of(), 0);
    }
}
