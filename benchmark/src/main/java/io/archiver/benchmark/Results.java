package io.archiver.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.archiver.events.RunStatistics;

/** What one benchmark measured, for the report and the module's test. */
public final class Results {

    /** The machine and the moment. */
    public String startedAt;
    public String machine;
    /** Which CPUs the database and everything else ran on. */
    public String cpus;
    public String mysqlVersion = "?";
    public String code;
    public long rows;
    public double eligibleShare;
    public boolean skipPeers;
    /** Instances of each service ({@code --instances}). */
    public int instances = 1;
    /** {@code --database-cpus}, or null: everything shared every CPU. */
    public String databaseCpus;
    /** The suite's name for this run, or null outside a suite. */
    public String label;
    /** Deployment manifests that declare a ReadWriteMany volume (a filesystem shared between pods): issue 25's target 6. */
    public final List<String> sharedVolumeManifests = new ArrayList<>();
    public String command;
    public String loadAtStart;
    public String quietWait;
    public String loadBeforeRun;
    public String loadAfterRun;
    public String loadAtEnd;

    public final Archiver archiver = new Archiver();
    public final List<Peer> peers = new ArrayList<>();
    public final List<String> notes = new ArrayList<>();
    /** Peak RSS (VmHWM, KiB) per service of earlier runs, by their row count: the RSS target compares runs. */
    public final Map<Long, Map<String, Long>> storedPeakRss = new LinkedHashMap<>();

    /** Figures of one group of events of one service ({@code stage}, {@code outcome}), from its metrics and its log. */
    public record StageFigures(String service, String stage, String outcome, long events, double rows, double bytes, double busySeconds,
            double windowSeconds, List<Double> handlerMs, java.time.Instant firstStart, java.time.Instant lastEnd) {

        public double rowsPerBusySecond() {
            return Stats.rate(rows, busySeconds);
        }

        public double rowsPerWindowSecond() {
            return Stats.rate(rows, windowSeconds);
        }

        public double utilization() {
            return Stats.ratio(busySeconds, windowSeconds);
        }
    }

    /**
     * One service process: memory and CPU. {@code threadCpuSeconds}: per thread group, threads that ended during the run
     * included ({@code endedThreadsCpuSeconds} of it); what no sample saw is {@link #unsampledCpuSeconds()}.
     */
    public record ProcessFigures(String name, long pid, long peakRssKb, long rssBeforeRunKb, long maxRssDuringRunKb, double cpuSeconds,
            Map<String, Double> threadCpuSeconds, double endedThreadsCpuSeconds) {

        /** The process's CPU during the run that no thread sample accounts for (threads that began and ended between two samples). */
        public double unsampledCpuSeconds() {
            return cpuSeconds - threadCpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** {@code --warm-up-rows}: the unmeasured run before the measured one, on the same services. */
    public static final class WarmUp {
        public long rowsSeeded;
        public String runId;
        public String outcome = "NOT RUN";
        public long rowsRemoved;
        public double seconds;
    }

    /** Archiver on the local stack. */
    public static final class Archiver {
        /** The run before the measured one, or null: the measured run is the services' first. */
        public WarmUp warmUp;
        public long rowsSeeded;
        public double seedSeconds;
        public long eligibleBefore;
        public long youngBefore;
        public long tableRowsAfter;
        public long remainingEligible = -1;
        public double avgRowLength;
        public double dataLengthBytes;
        public String runId;
        public java.time.Instant triggeredAt;
        public String outcome = "NOT RUN";
        public boolean timedOut;
        public double seconds;
        public RunStatistics stats;
        public double planSeconds = Double.NaN;
        /** Seconds from the trigger to the first delete transaction committed (the tap's COMMIT answered); NaN without the tap. */
        public double firstDeleteTxSeconds = Double.NaN;
        /** Seconds from the trigger to the end of the first ArchiveBatchDeleted handler (the deleter's event line). */
        public double firstDeletedEventSeconds = Double.NaN;
        /**
         * Per pipeline stage (PLANNED: the ledger's archive_batch.published_at_ms; EXPORTED, UPLOADED, DELETED: the end of each
         * batch's handler on the services' event lines), the seconds from the trigger at which each batch got through it.
         */
        public final Map<String, List<Double>> stageDoneSeconds = new LinkedHashMap<>();
        public long rowsRemoved;
        public long bytesUploaded;
        public long batches;
        public final List<StageFigures> stages = new ArrayList<>();
        public final List<Double> deleteHandlerMs = new ArrayList<>();
        public final List<Long> deleteRows = new ArrayList<>();
        /** BEGIN..COMMIT of each delete transaction, as the deleter's connection saw it (through {@link MySqlTxTap}). */
        public final List<Double> deleteTransactionMs = new ArrayList<>();
        public boolean txTap;
        public long rolledBack;
        /** The most deleting transactions open together on the deleter's connections (one deleter instance, archiver.delete.concurrency batches at once: by default 1). */
        public int deleteTransactionsAtOnce;
        public final List<Double> writerIdleMs = new ArrayList<>();
        public final List<Double> writerDuringMs = new ArrayList<>();
        public long writerFailures;
        public int writerRate;
        /** The deleter's health throttle on (its defaults) or off (--throttle off), and its pauses during the run. */
        public boolean throttle = true;
        public long throttlePauses;
        public double throttlePausedSeconds;
        public final Map<String, ProcessFigures> services = new LinkedHashMap<>();
        public final Map<String, Double> infraCpuSeconds = new LinkedHashMap<>();
        /** CPU seconds per thread group of Kafka and the S3 server (JVMs both) during the run. */
        public final Map<String, Map<String, Double>> infraThreadCpuSeconds = new LinkedHashMap<>();
        public double benchmarkCpuSeconds;
        /** Where the handler threads were (--thread-dumps), by service. */
        public final Map<String, StackSampler.Profile> threadProfiles = new LinkedHashMap<>();
        public double threadDumpHz;

        public double rowsPerSecond() {
            return Stats.rate(rowsRemoved, seconds);
        }

        public double megabytesPerSecond() {
            return Stats.rate(bytesUploaded / 1e6, seconds);
        }

        public double servicesCpuSeconds() {
            return services.values().stream().mapToDouble(ProcessFigures::cpuSeconds).sum();
        }

        /** Of the services' CPU, their JIT compiler threads' (C1 and C2): mostly the first minute's, which a longer run spreads out. */
        public double compilerCpuSeconds() {
            return services.values().stream().mapToDouble(p -> compilerSeconds(p.threadCpuSeconds())).sum();
        }

        /** Of Kafka's and the S3 server's CPU, their JIT compiler threads'. */
        public double infraCompilerCpuSeconds() {
            return infraThreadCpuSeconds.values().stream().mapToDouble(Results::compilerSeconds).sum();
        }

        /** Kafka's, the S3 server's or the MySQL server's CPU over the run; NaN where it was not found. */
        public double infraCpuSeconds(String process) {
            return infraCpuSeconds.getOrDefault(process, Double.NaN);
        }
    }

    /** The CPU seconds of a JVM's compiler thread groups ("C1 CompilerThre", "C2 CompilerThre", digits as '#'). */
    static double compilerSeconds(Map<String, Double> threadGroups) {
        return threadGroups.entrySet().stream().filter(group -> group.getKey().contains("CompilerThre")).mapToDouble(Map.Entry::getValue).sum();
    }

    /** A peer tool on a fresh copy of the same data. */
    public static final class Peer {
        public String name;
        public String command;
        public boolean ran;
        public String failure;
        public long eligibleBefore;
        public long rows;
        public long remainingEligible = -1;
        public boolean youngUntouched;
        public double toolSeconds;
        public double exportSeconds = Double.NaN;
        public double deleteSeconds = Double.NaN;
        public double uploadSeconds;
        public long fileBytes;
        public final List<Double> writerDuringMs = new ArrayList<>();
        /** Per delete transaction: measured directly (floor) or through {@link MySqlTxTap} (pt-archiver). */
        public final List<Double> transactionMs = new ArrayList<>();
        public final List<Long> transactionRows = new ArrayList<>();
        public String transactionSource = "";
        public double mysqlCpuSeconds = Double.NaN;
        public double toolCpuSeconds = Double.NaN;
        /** The upload's CPU: the AWS CLI's and the S3 server's while it ran. */
        public double uploadCpuSeconds = Double.NaN;
        public final List<String> details = new ArrayList<>();

        /** Everything the job took: the tool, the MySQL server under it and the upload. */
        public double totalCpuSeconds() {
            return toolCpuSeconds + mysqlCpuSeconds + uploadCpuSeconds;
        }

        public double rowsPerSecondWithUpload() {
            return Stats.rate(rows, toolSeconds + uploadSeconds);
        }

        public double rowsPerSecondWithoutUpload() {
            return Stats.rate(rows, toolSeconds);
        }
    }

    public Peer peer(String name) {
        return peers.stream().filter(p -> p.name.equals(name)).findFirst().orElse(null);
    }
}
