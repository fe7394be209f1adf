package dev.supaqueue.results;

import dev.supaqueue.broker.QueueNames;
import dev.supaqueue.message.Message;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * How a message's result is keyed, as Dramatiq: {@code "<namespace>:<canonical queue>:<actor>:<message_id>"},
 * by default hashed to its md5 hex digest (what Dramatiq's backends use, so Python and Java find each other's
 * results), or kept as the readable string when asked for (Dramatiq's {@code use_namespace_prefix_keys}).
 */
public final class ResultKeys {

    /** Dramatiq's default namespace. */
    public static final String DEFAULT_NAMESPACE = "dramatiq-results";

    private final String namespace;
    private final boolean readable;

    private ResultKeys(String namespace, boolean readable) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        if (namespace.isEmpty()) {
            throw new IllegalArgumentException("the result key namespace must not be empty");
        }
        this.readable = readable;
    }

    /** md5 keys in Dramatiq's namespace: the default. */
    public static ResultKeys md5() {
        return new ResultKeys(DEFAULT_NAMESPACE, false);
    }

    public static ResultKeys md5(String namespace) {
        return new ResultKeys(namespace, false);
    }

    /** Readable keys in Dramatiq's namespace, e.g. {@code dramatiq-results:default:add:<id>}. */
    public static ResultKeys readable() {
        return new ResultKeys(DEFAULT_NAMESPACE, true);
    }

    public static ResultKeys readable(String namespace) {
        return new ResultKeys(namespace, true);
    }

    public String namespace() {
        return namespace;
    }

    public boolean isReadable() {
        return readable;
    }

    /** The key of a message's result. */
    public String keyOf(Message message) {
        Objects.requireNonNull(message, "message");
        String plain = namespace + ":" + QueueNames.qName(message.queueName()) + ":" + message.actorName() + ":"
                + message.messageId();
        return readable ? plain : md5Hex(plain);
    }

    private static String md5Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide MD5.
            throw new IllegalStateException("MD5 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "ResultKeys[" + namespace + (readable ? ", readable" : ", md5") + "]";
    }
}
