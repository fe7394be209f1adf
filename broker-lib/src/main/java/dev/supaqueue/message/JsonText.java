package dev.supaqueue.message;

/**
 * Renders text for error messages: double-quoted on one line, with quotes, backslashes, control and invisible
 * characters and unpaired surrogates escaped, so that what a user typed is shown exactly and cannot forge
 * log lines.
 */
public final class JsonText {

    private JsonText() {
    }

    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.getType(c) == Character.FORMAT
                            || Character.isSurrogate(c) && !isPairedAt(text, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Whether the surrogate at {@code i} is half of a valid pair. */
    static boolean isPairedAt(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
