package dev.supaqueue.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Copies what is written to {@code System.err} while open, which is where the tests' slf4j-simple logs (it looks the
 * stream up on every write). The output still reaches the original stream.
 */
public final class LogCapture implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    public LogCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (copy) {
                    copy.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (copy) {
                    copy.write(b, off, len);
                }
                original.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Everything written to {@code System.err} since this capture opened. */
    public String text() {
        synchronized (copy) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }

    /** The log lines (slf4j-simple: {@code time [thread] LEVEL logger - message}) at this level. */
    public List<String> linesAt(String level) {
        return text().lines().filter(line -> line.contains("] " + level + " ")).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
