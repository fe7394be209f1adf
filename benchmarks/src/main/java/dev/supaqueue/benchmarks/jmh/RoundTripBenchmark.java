package dev.supaqueue.benchmarks.jmh;

import dev.supaqueue.actor.ActorDefinition;
import dev.supaqueue.actor.Actor3;
import dev.supaqueue.broker.Broker;
import dev.supaqueue.broker.Consumer;
import dev.supaqueue.broker.MessageProxy;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.middleware.DefaultMiddleware;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole in-process cost of one message on each side, with Dramatiq's default middleware and without the
 * database: what a send costs before pgmq.send, and what a delivery costs besides reading the row and the ack.
 * The actor is a typed functional actor {@code (int, String, double)}, as in the typical message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RoundTripBenchmark {

    /**
     * A broker that stores nothing: it encodes each message to JSON text as SupabaseBroker does and keeps only
     * the last body, so that a send measures Supaqueue's own work and no memory piles up between iterations.
     */
    static final class EncodeOnlyBroker extends Broker {

        private final MessageCodec codec = new MessageCodec();
        private String lastBody;

        EncodeOnlyBroker() {
            super(DefaultMiddleware.create());
        }

        String lastBody() {
            return lastBody;
        }

        Message decode(String body) {
            return codec.decode(body);
        }

        @Override
        protected void createQueue(String queueName) {
        }

        @Override
        protected Message store(Message message, Duration delay) {
            lastBody = codec.encode(message);
            return message;
        }

        @Override
        public Consumer consume(String queueName, int prefetch, Duration timeout) {
            throw new UnsupportedOperationException("the benchmark broker does not consume");
        }

        @Override
        public void flush(String queueName) {
        }

        @Override
        public void flushAll() {
        }

        @Override
        public void join(String queueName, Duration timeout) {
        }
    }

    private EncodeOnlyBroker broker;
    private Actor3<Integer, String, Double, Double> actor;
    private String body;

    @Setup
    public void setUp() throws Exception {
        broker = new EncodeOnlyBroker();
        actor = ActorDefinition.named("send_invoice").on(broker)
                .function(int.class, String.class, double.class,
                        (Integer customer, String email, Double amount) -> customer + email.length() + amount);
        actor.send(42, "ada@example.com", 19.99);
        body = broker.lastBody();
        // Fail here, not in the measurement, if the path does not work.
        receive();
    }

    @TearDown
    public void tearDown() {
        broker.close();
    }

    /**
     * {@code actor.send(...)}: arguments to JSON values, a new message, the enqueue hooks of the middleware and
     * the encoding to JSON text.
     */
    @Benchmark
    public String send() {
        actor.send(42, "ada@example.com", 19.99);
        return broker.lastBody();
    }

    /**
     * A delivered body through the worker's steps: decoding, finding the actor, the middleware's
     * before-process hooks, binding and running the actor, the after-process hooks.
     */
    @Benchmark
    public Object receive() throws Exception {
        MessageProxy proxy = new MessageProxy(broker.decode(body), 1, 1);
        var target = broker.getActor(proxy.actorName());
        broker.emitBefore("process_message", m -> m.beforeProcessMessage(broker, proxy));
        Object result = target.perform(proxy.message());
        broker.emitAfter("process_message", m -> m.afterProcessMessage(broker, proxy, result, null));
        return result;
    }
}
