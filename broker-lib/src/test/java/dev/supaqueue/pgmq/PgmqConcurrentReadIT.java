package dev.supaqueue.pgmq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.PgmqSql;
import dev.supaqueue.testing.PgmqSql.MessageRow;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Concurrent readers never receive the same message while its visibility timeout lasts. */
@PgmqIntegrationTest
class PgmqConcurrentReadIT {

    private static final int MESSAGES = 4_000;
    private static final int READERS = 8;

    @Test
    void eightConcurrentReadersSeeEveryMessageExactlyOnce(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("concurrent");
        try (Connection connection = db.connect()) {
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                batch.add("{\"n\":" + i + "}");
                if (batch.size() == 500) {
                    PgmqSql.sendBatch(connection, queue, batch);
                    batch.clear();
                }
            }
        }

        Map<Long, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(READERS);
        try {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                readers.add(pool.submit(() -> {
                    int received = 0;
                    try (Connection connection = db.connect()) {
                        start.await();
                        // Small batches make the readers contend for the same rows; vt outlasts the test.
                        for (List<MessageRow> rows = PgmqSql.read(connection, queue, 600, 7); !rows.isEmpty();
                             rows = PgmqSql.read(connection, queue, 600, 7)) {
                            for (MessageRow row : rows) {
                                deliveries.computeIfAbsent(row.msgId(), id -> new AtomicInteger()).incrementAndGet();
                                assertThat(row.readCt()).isEqualTo(1);
                            }
                            received += rows.size();
                        }
                    }
                    return received;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> reader : readers) {
                total += reader.get(2, TimeUnit.MINUTES);
            }

            assertThat(total).isEqualTo(MESSAGES);
            assertThat(deliveries).hasSize(MESSAGES);
            assertThat(deliveries.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        } finally {
            pool.shutdownNow();
        }
    }
}
