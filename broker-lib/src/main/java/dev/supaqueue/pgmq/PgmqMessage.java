package dev.supaqueue.pgmq;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of {@code pgmq.message_record}, as returned by {@code read}, {@code pop} and {@code set_vt}.
 *
 * @param msgId      the message id (per queue, increasing in send order)
 * @param readCt     how many times the message was read ({@code pop} and {@code set_vt} do not count)
 * @param enqueuedAt when the sending transaction started
 * @param lastReadAt the last read, or null: always null before pgmq 1.10 (no such column) and for unread messages
 * @param vt         when the message is (again) visible to readers
 * @param message    the body as JSON text, exactly as the server renders jsonb
 * @param headers    the headers as JSON text, or null: always null before pgmq 1.5 (no such column)
 */
public record PgmqMessage(long msgId, int readCt, Instant enqueuedAt, Instant lastReadAt, Instant vt,
                          String message, String headers) {

    public PgmqMessage {
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        Objects.requireNonNull(vt, "vt");
    }

    /** {@link #lastReadAt()} as an Optional. */
    public Optional<Instant> lastRead() {
        return Optional.ofNullable(lastReadAt);
    }

    /** {@link #headers()} as an Optional. */
    public Optional<String> headersJson() {
        return Optional.ofNullable(headers);
    }
}
