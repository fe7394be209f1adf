package dev.supaqueue.console.connection;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Passwords as char arrays, never Strings, so they can be wiped after use. */
final class SecretText {

    private SecretText() {
    }

    /** The UTF-8 bytes as characters; the decoder's own buffer is wiped, the caller wipes the bytes. */
    static char[] decodeUtf8(byte[] utf8) {
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(utf8));
        char[] text = new char[chars.remaining()];
        chars.get(text);
        Arrays.fill(chars.array(), '\0');
        return text;
    }
}
