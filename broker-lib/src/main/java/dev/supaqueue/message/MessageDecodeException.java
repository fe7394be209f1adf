package dev.supaqueue.message;

import dev.supaqueue.SupaqueueException;

/**
 * A message body that Dramatiq's decoder would refuse: not JSON, not an object, a missing or mistyped key, an
 * unknown top-level key, or beyond {@link MessageCodec}'s limits. It carries the {@linkplain #reason() reason}
 * and the full {@linkplain #rawText() raw text} so that a broker can dead-letter the body with the reason
 * instead of retrying it forever; {@link #getMessage()} shows only the start of the text.
 */
public class MessageDecodeException extends SupaqueueException {

    private static final long serialVersionUID = 1L;

    /** How much of the raw text {@link #getMessage()} shows. */
    public static final int EXCERPT_LENGTH = 200;

    private final String reason;
    private final String rawText;

    public MessageDecodeException(String reason, String rawText) {
        this(reason, rawText, null);
    }

    public MessageDecodeException(String reason, String rawText, Throwable cause) {
        super(describe(reason, rawText), cause);
        this.reason = reason;
        this.rawText = rawText;
    }

    /** What is wrong, e.g. {@code missing required key "args"}, without the raw text. */
    public String reason() {
        return reason;
    }

    /** The whole text that failed to decode ({@code null} when there was no body at all). */
    public String rawText() {
        return rawText;
    }

    private static String describe(String reason, String rawText) {
        if (rawText == null) {
            return "Cannot decode message: " + reason;
        }
        return "Cannot decode message: " + reason + "; raw text (" + rawText.length() + " chars): "
                + excerpt(rawText);
    }

    /** The first {@link #EXCERPT_LENGTH} characters on one line, control characters escaped. */
    static String excerpt(String text) {
        boolean truncated = text.length() > EXCERPT_LENGTH;
        int end = EXCERPT_LENGTH;
        // Do not cut a surrogate pair in half.
        if (truncated && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        String head = truncated ? text.substring(0, end) : text;
        StringBuilder out = new StringBuilder(head.length() + 8);
        for (int i = 0; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (truncated) {
            out.append("... (truncated)");
        }
        return out.toString();
    }
}
