package dev.supaqueue.benchmarks.jmh;

import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Dramatiq's JSON wire format: {@link MessageCodec} encoding a message (what every send does before the SQL
 * call) and decoding a body (what every delivery does before the actor runs), for a typical and a large message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CodecBenchmark {

    @Param({"typical", "large"})
    public String size;

    private MessageCodec codec;
    private Message message;
    private byte[] bytes;
    private String text;

    @Setup
    public void setUp() {
        codec = new MessageCodec();
        message = switch (size) {
            case "typical" -> Fixtures.typicalMessage();
            case "large" -> Fixtures.largeMessage();
            default -> throw new IllegalArgumentException("unknown size " + size);
        };
        bytes = codec.encodeBytes(message);
        text = codec.encode(message);
        // A benchmark of a path that fails would measure the exception, not the codec.
        if (!codec.decode(bytes).equals(message)) {
            throw new IllegalStateException("the fixture does not survive a round trip");
        }
    }

    /** The {@code MessageEncoder} call (StubBroker, custom encoders): Message to UTF-8 bytes. */
    @Benchmark
    public byte[] encodeBytes() {
        return codec.encodeBytes(message);
    }

    /** Message to JSON text, what SupabaseBroker does on every enqueue before pgmq.send. */
    @Benchmark
    public String encodeText() {
        return codec.encode(message);
    }

    /** The {@code MessageEncoder} call the other way: UTF-8 bytes to Message. */
    @Benchmark
    public Message decodeBytes() {
        return codec.decode(bytes);
    }

    /** JSON text to Message, what SupabaseBroker does with every row a consumer reads from pgmq. */
    @Benchmark
    public Message decodeText() {
        return codec.decode(text);
    }
}
