package dev.supaqueue.middleware;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Records what is written to {@code System.err} while open: the tests' slf4j-simple logger writes there, looking
 * the stream up on each write. The output still reaches the original stream.
 */
final class StderrCapture implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();

    StderrCapture() {
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (recorded) {
                    recorded.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (recorded) {
                    recorded.write(b, off, len);
                }
                original.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        System.setErr(new PrintStream(both, true, StandardCharsets.UTF_8));
    }

    /** The log lines (slf4j-simple: {@code time [thread] LEVEL logger - message}) at this level. */
    List<String> linesAt(String level) {
        return text().lines().filter(line -> line.contains("] " + level + " ")).toList();
    }

    String text() {
        synchronized (recorded) {
            return recorded.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
