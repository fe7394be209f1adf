package dev.supaqueue.message;

/**
 * How a broker turns a {@link Message} into the bytes it stores and back, as Dramatiq's {@code Encoder}.
 * {@link MessageCodec} (Dramatiq's JSON) is the default; implementations must be thread-safe.
 *
 * <p>The encode method is {@code encodeBytes} rather than {@code encode} because {@link MessageCodec} already has
 * a {@code String encode(Message)} that many callers use.
 *
 * <p>{@link dev.supaqueue.broker.StubBroker} stores whatever bytes an encoder returns.
 * {@link dev.supaqueue.broker.SupabaseBroker} stores them in pgmq's jsonb column, so there an encoder must produce
 * one UTF-8 JSON object, and must decode what jsonb gives back: the same document without whitespace and with
 * its keys reordered.
 */
public interface MessageEncoder {

    /**
     * The message as bytes.
     *
     * @throws IllegalArgumentException if the message cannot be encoded (naming the reason)
     */
    byte[] encodeBytes(Message message);

    /**
     * The message that {@link #encodeBytes} produced these bytes for.
     *
     * @throws MessageDecodeException if the bytes are not a message this encoder can read; brokers dead-letter
     *                                such a body with the exception's reason instead of retrying it
     */
    Message decode(byte[] data);
}
