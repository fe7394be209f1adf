package dev.supaqueue.broker;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.message.MessageDecodeException;
import dev.supaqueue.message.MessageEncoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.function.Predicate;

/**
 * A test-only binary encoder: a magic number, a length, then MessageCodec's JSON with every byte XOR-ed, so the
 * stored body is never JSON (its first byte is 0xCA, not '{'). Messages matching {@code corrupt} get a wrong
 * magic number, so that decoding them fails.
 */
final class XorFramedEncoder implements MessageEncoder {

    static final int MAGIC = 0xCAFEF00D;
    private static final int KEY = 0x5A;

    private final MessageCodec codec = new MessageCodec();
    private final Predicate<Message> corrupt;
    /** The last body encoded, to look at what the broker stored. */
    volatile byte[] lastEncoded;

    XorFramedEncoder() {
        this(message -> false);
    }

    XorFramedEncoder(Predicate<Message> corrupt) {
        this.corrupt = corrupt;
    }

    @Override
    public byte[] encodeBytes(Message message) {
        byte[] json = codec.encodeBytes(message);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(json.length + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(corrupt.test(message) ? ~MAGIC : MAGIC);
            out.writeInt(json.length);
            for (byte b : json) {
                out.writeByte(b ^ KEY);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lastEncoded = bytes.toByteArray();
        return lastEncoded;
    }

    @Override
    public Message decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new MessageDecodeException("bad magic number " + Integer.toHexString(magic),
                        HexFormat.of().formatHex(data));
            }
            byte[] json = new byte[in.readInt()];
            in.readFully(json);
            for (int i = 0; i < json.length; i++) {
                json[i] ^= KEY;
            }
            return codec.decode(json);
        } catch (IOException e) {
            throw new MessageDecodeException("truncated frame: " + e, HexFormat.of().formatHex(data), e);
        }
    }
}
