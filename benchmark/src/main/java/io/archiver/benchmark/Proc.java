package io.archiver.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Linux {@code /proc}: resident memory ({@code VmRSS}, and its high-water mark {@code VmHWM}) from
 * {@code /proc/<pid>/status}, CPU time ({@code utime + stime}) from {@code /proc/<pid>/stat}, the
 * load average, and a sampler that keeps the largest RSS seen per process.
 */
public final class Proc {

    private static final long CLOCK_TICKS = clockTicks();

    private Proc() {
    }

    /** A status field in KiB ({@code VmRSS}, {@code VmHWM}); empty where the process is gone. */
    public static OptionalLong statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(field + ":")) {
                    return OptionalLong.of(Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return OptionalLong.empty();
    }

    /** User plus system CPU time of the process so far, in seconds; NaN where it is gone. */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.UTF_8);
            // comm may hold spaces and parentheses: the fields that follow start after the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // fields[0] is field 3 (state); utime is field 14, stime field 15
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * One thread's group and CPU seconds ({@code utime + stime} of {@code /proc/<pid>/task/<tid>/stat}): threads
     * named alike form a group, digits folded to '#', so that {@code executor-thread-1} and {@code -2} count together.
     */
    public record ThreadCpu(String group, double seconds) {
    }

    /** The CPU seconds of each live thread of a process, by thread id; empty when the process has ended. */
    public static Map<Long, ThreadCpu> threadCpu(long pid) {
        Map<Long, ThreadCpu> byTid = new LinkedHashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.UTF_8);
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS;
                    byTid.put(Long.parseLong(task.getFileName().toString()), new ThreadCpu(name, seconds));
                } catch (IOException | RuntimeException e) {
                    // the thread ended
                }
            });
        } catch (IOException e) {
            // the process ended
        }
        return byTid;
    }

    /** CPU seconds of the process's children that have ended and been waited for ({@code cutime + cstime}). */
    public static double childrenCpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.UTF_8);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The 1-, 5- and 15-minute load averages. */
    public static double[] loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] { Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]) };
        } catch (IOException | RuntimeException e) {
            return new double[] { Double.NaN, Double.NaN, Double.NaN };
        }
    }

    public static String loadAverageText() {
        double[] load = loadAverage();
        return String.format("%.2f %.2f %.2f", load[0], load[1], load[2]);
    }

    /** The processes whose command line (arguments joined by spaces) passes {@code test}. */
    public static List<Long> pidsWhereCommandLine(Predicate<String> test) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
                    if (!cmdline.isEmpty() && test.test(cmdline)) {
                        pids.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone or not ours to read
                }
            });
        } catch (IOException e) {
            // no /proc: nothing to find
        }
        return pids;
    }

    /**
     * The MySQL server the local stack uses ({@code mariadbd} or {@code mysqld}): with {@code ARCHIVER_MYSQL_PORT} set, the one
     * whose command line names that port (a private server, e.g. {@code mariadbd --datadir=... --port=3407}, whose CPU no
     * other user of the machine's server pollutes); else the machine's own, not an embedded one started with {@code --datadir}.
     */
    public static OptionalLong mysqlServerPid() {
        return mysqlServerPid(System.getenv("ARCHIVER_MYSQL_PORT"));
    }

    static OptionalLong mysqlServerPid(String port) {
        List<Long> pids = pidsWhereCommandLine(cmd -> isMysqlServer(cmd, port));
        return pids.isEmpty() ? OptionalLong.empty() : OptionalLong.of(pids.get(0));
    }

    /** Whether {@code commandLine} (arguments joined by spaces) is the MySQL server listening on {@code port} (null, blank or 3306: the machine's). */
    static boolean isMysqlServer(String commandLine, String port) {
        List<String> args = List.of(commandLine.split(" "));
        String program = args.get(0);
        if (!(program.endsWith("/mariadbd") || program.endsWith("/mysqld") || program.equals("mariadbd") || program.equals("mysqld"))) {
            return false;
        }
        if (port == null || port.isBlank() || port.trim().equals("3306")) {
            return !commandLine.contains("--datadir");
        }
        int at = args.indexOf("--port");
        return args.contains("--port=" + port.trim()) || (at >= 0 && at + 1 < args.size() && args.get(at + 1).equals(port.trim()));
    }

    private static long clockTicks() {
        try {
            Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** Samples VmRSS of named processes every {@code intervalMs}, keeping the largest value seen per name. */
    public static final class RssSampler implements AutoCloseable {

        private final Map<String, Long> pids;
        private final Map<String, Long> maxRssKb = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        public RssSampler(Map<String, Long> pids, long intervalMs) {
            this.pids = new LinkedHashMap<>(pids);
            this.thread = new Thread(() -> {
                while (running) {
                    sampleOnce();
                    try {
                        Thread.sleep(intervalMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void sampleOnce() {
            pids.forEach((name, pid) -> statusKb(pid, "VmRSS").ifPresent(kb -> maxRssKb.merge(name, kb, Math::max)));
        }

        /** The largest VmRSS seen so far, in KiB. */
        public long maxRssKb(String name) {
            return maxRssKb.getOrDefault(name, 0L);
        }

        /** Restarts the maximum (from the next sample on). */
        public void reset() {
            maxRssKb.clear();
            sampleOnce();
        }

        @Override
        public void close() {
            running = false;
            stop(thread, 2000);
            sampleOnce();
        }
    }

    /** Interrupts a sampler's thread and waits up to {@code waitMs} for it to end (its loop checks its own running flag). */
    static void stop(Thread thread, long waitMs) {
        thread.interrupt();
        try {
            thread.join(waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** CPU seconds of named processes at one moment. */
    public static Map<String, Double> cpuSnapshot(Map<String, Long> pids) {
        Map<String, Double> snapshot = new LinkedHashMap<>();
        pids.forEach((name, pid) -> snapshot.put(name, cpuSeconds(pid)));
        return snapshot;
    }
}
