package dev.supaqueue.reliability.soak;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM's heap and threads, without ever calling {@code System.gc()}: the heap in use now, and what the garbage
 * collections of each interval left behind (the whole heap, and the old generation at most), taken from GC
 * notifications. What survives the collections is the figure that shows a leak; the heap in use now mostly shows
 * where the young generation happens to be.
 */
final class JvmProbe implements AutoCloseable {

    /** One interval's figures. {@code heapAfterGc} and {@code oldAfterGcMax} are -1 before the first collection. */
    record Reading(long heapUsed, long heapAfterGc, long oldAfterGcMax, int collections, long gcMillis,
                   int threads) {
    }

    private final Set<String> heapPools;
    private final String oldPool;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;

    private long heapAfterLastGc = -1;
    private long oldAfterGcMaxInInterval = -1;
    private long oldAfterLastGc = -1;
    private int collectionsInInterval;
    private long gcMillisInInterval;

    JvmProbe() {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        heapPools = pools.stream().filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toUnmodifiableSet());
        oldPool = heapPools.stream().filter(JvmProbe::isOldGeneration).findFirst().orElse(null);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    /** The old generation's pool name (G1 Old Gen, Tenured Gen, PS Old Gen...), or null if there is none. */
    String oldPoolName() {
        return oldPool;
    }

    /** Whether collections are being reported at all (a JVM without GC notifications gives -1 figures). */
    boolean seesCollections() {
        return !emitters.isEmpty();
    }

    private static boolean isOldGeneration(String pool) {
        String name = pool.toLowerCase(Locale.ROOT);
        return name.contains("old") || name.contains("tenured");
    }

    private void onNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        GcInfo gc = info.getGcInfo();
        Map<String, MemoryUsage> after = gc.getMemoryUsageAfterGc();
        long heap = 0;
        for (Map.Entry<String, MemoryUsage> pool : after.entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                heap += pool.getValue().getUsed();
            }
        }
        MemoryUsage old = oldPool == null ? null : after.get(oldPool);
        synchronized (this) {
            heapAfterLastGc = heap;
            collectionsInInterval++;
            gcMillisInInterval += gc.getDuration();
            if (old != null) {
                oldAfterLastGc = old.getUsed();
                oldAfterGcMaxInInterval = Math.max(oldAfterGcMaxInInterval, old.getUsed());
            }
        }
    }

    /** This interval's figures; the next interval starts now. Without a collection, the last one's are carried. */
    synchronized Reading read() {
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long oldMax = collectionsInInterval == 0 || oldAfterGcMaxInInterval < 0 ? oldAfterLastGc
                : oldAfterGcMaxInInterval;
        Reading reading = new Reading(heapUsed, heapAfterLastGc, oldMax, collectionsInInterval, gcMillisInInterval,
                threads);
        collectionsInInterval = 0;
        gcMillisInInterval = 0;
        oldAfterGcMaxInInterval = -1;
        return reading;
    }

    static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException e) {
                // already gone
            }
        }
        emitters.clear();
    }
}
