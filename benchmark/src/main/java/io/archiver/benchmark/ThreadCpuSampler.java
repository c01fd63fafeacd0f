package io.archiver.benchmark;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU each thread group of the services used during the run, threads that ended during it included.
 * Reading every thread's CPU only before and after the run loses the threads that end in between (a
 * worker pool's idle threads are retired, compiler threads come and go), and with them up to two fifths
 * of a service's CPU; so each thread's CPU is sampled every {@code intervalMs}, and a thread that ends
 * counts with its last sample (at most one interval short). What no sample saw (a thread that began and
 * ended between two) is the process's CPU minus the groups' sum.
 */
final class ThreadCpuSampler implements AutoCloseable {

    private final Map<String, Long> pids;
    private final Map<String, Map<Long, Proc.ThreadCpu>> before = new LinkedHashMap<>();
    private final Map<String, Map<Long, Proc.ThreadCpu>> lastSeen = new LinkedHashMap<>();
    private final Map<String, Map<Long, Proc.ThreadCpu>> atEnd = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** Takes the "before" reading of every service now, then samples until {@link #close()}. */
    ThreadCpuSampler(Map<String, Long> pids, long intervalMs) {
        this.pids = new LinkedHashMap<>(pids);
        pids.forEach((name, pid) -> {
            Map<Long, Proc.ThreadCpu> now = Proc.threadCpu(pid);
            before.put(name, now);
            lastSeen.put(name, new HashMap<>(now));
        });
        thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(intervalMs);
                } catch (InterruptedException e) {
                    return;
                }
                if (sample().values().stream().allMatch(Map::isEmpty)) {
                    return; // the services are gone (a failed run): nothing left to sample
                }
            }
        }, "thread-cpu-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized Map<String, Map<Long, Proc.ThreadCpu>> sample() {
        Map<String, Map<Long, Proc.ThreadCpu>> now = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            Map<Long, Proc.ThreadCpu> threads = Proc.threadCpu(pid);
            lastSeen.get(name).putAll(threads);
            now.put(name, threads);
        });
        return now;
    }

    /** Stops sampling with a last reading: the end of the run. */
    @Override
    public void close() {
        running = false;
        Proc.stop(thread, 2000);
        atEnd.putAll(sample());
    }

    /** CPU seconds per thread group of a service during the run (after {@link #close()}). */
    synchronized Map<String, Double> groups(String service) {
        return groups(before.get(service), lastSeen.get(service));
    }

    /** CPU seconds during the run of the service's threads that had ended by its end (after {@link #close()}). */
    synchronized double endedThreadsSeconds(String service) {
        Map<Long, Proc.ThreadCpu> ended = new HashMap<>(lastSeen.get(service));
        ended.keySet().removeAll(atEnd.get(service).keySet());
        Map<Long, Proc.ThreadCpu> endedBefore = new HashMap<>(before.get(service));
        endedBefore.keySet().retainAll(ended.keySet());
        return groups(endedBefore, ended).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * Per group, each thread's last reading minus its reading before (0 for a thread that began after it),
     * summed; groups that used no CPU are left out.
     */
    static Map<String, Double> groups(Map<Long, Proc.ThreadCpu> before, Map<Long, Proc.ThreadCpu> last) {
        Map<String, Double> groups = new LinkedHashMap<>();
        last.forEach((tid, reading) -> {
            Proc.ThreadCpu start = before.get(tid);
            double delta = reading.seconds() - (start == null ? 0 : start.seconds());
            if (delta > 0) {
                groups.merge(reading.group(), delta, Double::sum);
            }
        });
        return groups;
    }
}
