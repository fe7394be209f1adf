package dev.supaqueue.console.queues;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.testing.PgmqSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Queues and Dramatiq messages for the screen's database tests, made with plain pgmq calls. */
final class QueueFixtures {

    private static final MessageCodec CODEC = new MessageCodec();

    private QueueFixtures() {
    }

    static void create(Connection connection, String queue) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pgmq.create(?::text)")) {
            statement.setString(1, queue);
            statement.execute();
        }
    }

    /** A Dramatiq message for {@code actor} with {@code n} as its argument and in its kwargs. */
    static Message dramatiq(String queue, String actor, int n, Map<String, Object> options) {
        return Message.create(queue, actor, List.of(n, "text " + n), Map.of("n", n), options);
    }

    static String json(Message message) {
        return CODEC.encode(message);
    }

    /** Sends {@code count} Dramatiq messages, actors alternating between the given ones; returns their msg_ids. */
    static List<Long> sendDramatiq(Connection connection, String queue, int count, String... actors)
            throws SQLException {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            payloads.add(json(dramatiq(queue, actors[i % actors.length], i, Map.of())));
        }
        return PgmqSql.sendBatch(connection, queue, payloads);
    }
}
