package dev.supaqueue.benchmarks;

/**
 * The one message shape every throughput figure uses, on both sides: a typical Dramatiq message for
 * {@code send_report(user_id, email, period)} on queue {@code bench}, about 230 bytes of JSON.
 */
final class DramatiqShape {

    static final String QUEUE = "bench";
    static final String ACTOR = "send_report";

    /** Generates messages {@code from..to} on the server (no rows shipped over the wire), for pre-filling queues. */
    static final String FILL_SQL = """
            SELECT count(*) FROM pgmq.send_batch(?::text, ARRAY(
                SELECT jsonb_build_object(
                    'queue_name', 'bench', 'actor_name', 'send_report',
                    'args', jsonb_build_array(g, 'user' || g || '@example.com', 'weekly'),
                    'kwargs', '{}'::jsonb, 'options', '{}'::jsonb,
                    'message_id', gen_random_uuid()::text,
                    'message_timestamp', (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
                FROM generate_series(?::integer, ?::integer) AS g))
            """;

    /**
     * The same message as JSON text built in a pgbench script from its random {@code :n}: the client sends the
     * queue and the number as parameters, the server builds the text as a client would have sent it (the message
     * id and timestamp are fixed, as cheap stand-ins of the same length).
     */
    static final String PGBENCH_MESSAGE = "('{\"queue_name\":\"bench\",\"actor_name\":\"send_report\",\"args\":['"
            + " || :n || ',\"user' || :n || '@example.com\",\"weekly\"],\"kwargs\":{},\"options\":{},"
            + "\"message_id\":\"1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed\",\"message_timestamp\":1764000000000}')::jsonb";

    private DramatiqShape() {
    }
}
