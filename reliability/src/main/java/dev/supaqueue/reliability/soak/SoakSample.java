package dev.supaqueue.reliability.soak;

import java.util.List;
import java.util.Locale;

/**
 * One sampled interval of a soak run: what moved in the interval, the totals so far, and the state of the JVM, the
 * pool and the database at its end. Memory in MiB; -1 where a figure is not available.
 *
 * @param elapsedSeconds   since the producers started, at the end of the interval
 * @param phase            {@code run} while the producers send, {@code drain} afterwards
 * @param sent             messages enqueued by the producers in the interval (retries not counted)
 * @param processed        attempts that ended in the interval, succeeded or failed
 * @param succeeded        messages that succeeded in the interval
 * @param retried          retries enqueued in the interval
 * @param deadLettered     messages dead-lettered in the interval
 * @param latencyP50Millis enqueue to start of the first attempt, undelayed messages started in the interval
 * @param delayedLateP99Millis how late delayed messages started after their due time, 99th percentile
 * @param loadAverage      the machine's one-minute load average (the soak shares it with whatever else runs)
 * @param processCpuPercent this JVM's share of all CPUs over the interval, in percent
 */
record SoakSample(double elapsedSeconds, String phase, long sent, long processed, long succeeded, long retried,
                  long deadLettered, long sentTotal, long succeededTotal, long retriedTotal, long deadLetteredTotal,
                  double succeededPerSecond, double processedPerSecond, double latencyP50Millis,
                  double latencyP99Millis, long latencyCount, double delayedLateP99Millis, double heapUsedMb,
                  double heapAfterGcMb, double oldAfterGcMaxMb, int collections, long gcMillis, int threads,
                  int poolActive, int poolIdle, int poolTotal, int poolWaiting, int serverConnections,
                  int serverConnectionsDatabase, long queueDepth, long deadLetters, double loadAverage,
                  double processCpuPercent) {

    static final List<String> COLUMNS = List.of("elapsed_s", "phase", "sent", "processed", "succeeded", "retried",
            "dead_lettered", "sent_total", "succeeded_total", "retried_total", "dead_lettered_total",
            "succeeded_per_s", "processed_per_s", "latency_p50_ms", "latency_p99_ms", "latency_n",
            "delayed_late_p99_ms", "heap_used_mb", "heap_after_gc_mb", "old_gen_after_gc_max_mb", "gcs", "gc_ms",
            "threads", "pool_active", "pool_idle", "pool_total", "pool_waiting", "server_conns_soak",
            "server_conns_db", "queue_depth", "dead_letters", "load_avg_1m", "process_cpu_pct");

    List<String> values() {
        return List.of(num(elapsedSeconds), phase, Long.toString(sent), Long.toString(processed),
                Long.toString(succeeded), Long.toString(retried), Long.toString(deadLettered),
                Long.toString(sentTotal), Long.toString(succeededTotal), Long.toString(retriedTotal),
                Long.toString(deadLetteredTotal), num(succeededPerSecond), num(processedPerSecond),
                num(latencyP50Millis), num(latencyP99Millis), Long.toString(latencyCount), num(delayedLateP99Millis),
                num(heapUsedMb), num(heapAfterGcMb), num(oldAfterGcMaxMb), Integer.toString(collections),
                Long.toString(gcMillis), Integer.toString(threads), Integer.toString(poolActive),
                Integer.toString(poolIdle), Integer.toString(poolTotal), Integer.toString(poolWaiting),
                Integer.toString(serverConnections), Integer.toString(serverConnectionsDatabase),
                Long.toString(queueDepth), Long.toString(deadLetters), num(loadAverage), num(processCpuPercent));
    }

    /** The log line of this sample. */
    String logLine() {
        return String.format(Locale.ROOT, "[soak %6.0fs %-5s] sent %d (%d) | ok %d (%d) | attempts %d | retried %d"
                        + " (%d) | dead %d (%d) | %.1f ok/s | start p50 %s p99 %s ms | heap %.1f MB, after GC %s MB,"
                        + " old after GC %s MB | threads %d | pool %d/%d/%d act/idle/total | server conns %d | depth %d"
                        + " | dead letters %d | load %s, cpu %s%%",
                elapsedSeconds, phase, sent, sentTotal, succeeded, succeededTotal, processed, retried, retriedTotal,
                deadLettered, deadLetteredTotal, succeededPerSecond, num(latencyP50Millis), num(latencyP99Millis),
                heapUsedMb, num(heapAfterGcMb), num(oldAfterGcMaxMb), threads, poolActive, poolIdle, poolTotal,
                serverConnections, queueDepth, deadLetters, num(loadAverage), num(processCpuPercent));
    }

    static String num(double value) {
        if (value < 0) {
            return "-";
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value);
    }
}
