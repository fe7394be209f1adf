package dev.supaqueue.admin;

import dev.supaqueue.message.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One message as a console shows it: pgmq's columns, the state derived from them on the server's clock, the
 * payload as JSON text (cut for a page preview when long), and its Dramatiq fields when it is a Dramatiq message.
 * Looking at it changed nothing.
 *
 * @param source           where the message was found
 * @param msgId            pgmq's {@code msg_id}
 * @param readCt           how often consumers read it ({@code read_ct})
 * @param enqueuedAt       when it was sent
 * @param vt               when it is (or was) visible to readers
 * @param lastReadAt       the last read (pgmq 1.10 and later), or null when never read or the table has no such
 *                         column
 * @param archivedAt       when it was archived, for archive rows only (else null)
 * @param state            ready, in flight or delayed for live rows, judged by the server when the page was read;
 *                         ARCHIVED for archive rows
 * @param payload          the {@code message} jsonb as the server renders it as text, cut to
 *                         {@link AdminOptions#payloadPreviewChars()} characters on a page; null when the column is
 *                         NULL
 * @param payloadTruncated whether {@code payload} was cut; fetch the single message for all of it
 * @param payloadLength    the full payload's length in characters (Unicode code points, as PostgreSQL counts)
 * @param headers          the {@code headers} jsonb as text, or null (none, or pgmq before 1.5)
 * @param actorName        the payload's {@code actor_name}, read by the server so that it is known for cut
 *                         payloads too; null if there is none
 * @param messageId        the payload's Dramatiq {@code message_id}, likewise; null if there is none
 * @param dramatiq         the decoded Dramatiq message, or null (not one, or cut for the preview)
 * @param decodeProblem    why {@code dramatiq} is null, or null when it was decoded
 */
public record BrowsedMessage(MessageSource source, long msgId, int readCt, Instant enqueuedAt, Instant vt,
                             Instant lastReadAt, Instant archivedAt, MessageState state, String payload,
                             boolean payloadTruncated, int payloadLength, String headers, String actorName,
                             String messageId, Message dramatiq, String decodeProblem) {

    public BrowsedMessage {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(state, "state");
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payloadLength must not be negative, got " + payloadLength);
        }
    }

    /**
     * How long until the message becomes visible to readers, measured on the server's clock (pass
     * {@link MessagePage#serverTime()}, not the local time, so clock skew does not matter).
     *
     * @return empty when it is visible already, or archived
     */
    public Optional<Duration> visibleIn(Instant serverTime) {
        Objects.requireNonNull(serverTime, "serverTime");
        if (state == MessageState.ARCHIVED || vt == null || !vt.isAfter(serverTime)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(serverTime, vt));
    }

    /** The decoded Dramatiq message, if the payload is one and was not cut. */
    public Optional<Message> dramatiqMessage() {
        return Optional.ofNullable(dramatiq);
    }

    /** Whether the message sits in an archive. */
    public boolean isArchived() {
        return state == MessageState.ARCHIVED;
    }
}
