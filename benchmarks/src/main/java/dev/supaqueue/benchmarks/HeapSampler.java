package dev.supaqueue.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples this JVM's heap while a load runs: the heap in use, and what the heap held right after the latest
 * garbage collection (the live set, which is what grows when something leaks).
 */
final class HeapSampler implements AutoCloseable {

    /** One sample, in bytes. */
    record Sample(long atMillis, long used, long afterGc) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bench-heap-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final long start = System.nanoTime();

    HeapSampler(long everyMillis) {
        timer.scheduleAtFixedRate(this::sample, 0, everyMillis, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        long used = 0;
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP) {
                continue;
            }
            used += pool.getUsage().getUsed();
            MemoryUsage collected = pool.getCollectionUsage();
            if (collected != null) {
                afterGc += collected.getUsed();
            }
        }
        synchronized (samples) {
            samples.add(new Sample((System.nanoTime() - start) / 1_000_000, used, afterGc));
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sample();
    }
}
