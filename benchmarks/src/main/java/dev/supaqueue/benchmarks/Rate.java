package dev.supaqueue.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * A measured rate: messages per second, and the client's own CPU time per message (the profile of where the time
 * goes: what is not the client's is the server's, on the same machine).
 *
 * @param perSecond           messages per second
 * @param clientCpuMicros     CPU time of the client process per message, in microseconds (NaN if unknown)
 */
record Rate(double perSecond, double clientCpuMicros) {

    static Rate of(Pgbench.Result result, int messagesPerTransaction) {
        long messages = result.transactions() * messagesPerTransaction;
        return new Rate(result.tps() * messagesPerTransaction,
                result.clientCpuNanos() < 0 ? Double.NaN : result.clientCpuNanos() / 1000.0 / messages);
    }

    /** This JVM's CPU time so far (all threads: application, JIT, GC), in nanoseconds. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    static Rate measured(long messages, long elapsedNanos, long cpuBefore) {
        long cpu = processCpuNanos();
        return new Rate(messages / (elapsedNanos / 1e9),
                cpuBefore < 0 || cpu < 0 ? Double.NaN : (cpu - cpuBefore) / 1000.0 / messages);
    }
}
