package dev.supaqueue.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * When a warm-up is over: after at least {@link #MINIMUM}, once the JIT has compiled nothing for {@link #QUIET}
 * (or after {@link #MAXIMUM} whatever it does). A fixed time was not enough: the first measurement after 5 s
 * still paid for C2 compiling the new paths (twice the client CPU per message of a second measurement), which
 * on 2 cores shared with the server is CPU taken from the server.
 */
final class JitWarmUp {

    static final long MINIMUM = TimeUnit.SECONDS.toNanos(5);
    static final long QUIET = TimeUnit.SECONDS.toNanos(1);
    static final long MAXIMUM = TimeUnit.SECONDS.toNanos(30);

    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final long started = System.nanoTime();
    private long compiledMillis = -1;
    private long unchangedSince = started;
    private boolean over;

    /** Whether warming up can stop; called by every warm-up thread between steps. */
    synchronized boolean over() {
        if (over) {
            return true;
        }
        long now = System.nanoTime();
        long compiled = jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
        if (compiled != compiledMillis) {
            compiledMillis = compiled;
            unchangedSince = now;
        }
        over = now - started >= MAXIMUM
                || now - started >= MINIMUM && now - unchangedSince >= QUIET;
        return over;
    }

    /** Seconds since the warm-up began. */
    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
