package dev.supaqueue.pgmq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Workers that start together all declare their queues at once. pgmq before 1.6 (Supabase runs 1.5.1) lets
 * concurrent creates of one queue collide; the client must make that harmless.
 */
@PgmqIntegrationTest
class PgmqConcurrentCreateIT {

    @Test
    void manySessionsCreatingTheSameQueueAtOnceAllSucceed(TestDatabaseServer db, TestQueues queues) throws Exception {
        PgmqClient client = new PgmqClient(TestDataSources.of(db));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                String queue = queues.track(queues.newName("race"));
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> creators = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    creators.add(pool.submit(() -> {
                        start.await();
                        client.createQueue(queue);
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> creator : creators) {
                    creator.get(30, TimeUnit.SECONDS);
                }
                assertThat(client.queueExists(queue)).isTrue();
                assertThat(client.send(queue, "{\"round\": 1}")).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
