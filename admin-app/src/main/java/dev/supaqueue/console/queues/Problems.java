package dev.supaqueue.console.queues;

import java.util.ArrayList;
import java.util.List;

/** Turns what a background task threw into one plain sentence that names the cause, for the user to read. */
final class Problems {

    private Problems() {
    }

    /**
     * The messages of the exception and its causes, each once, joined by {@code ": "}; the exception's type where a
     * level has no message. For example {@code Cannot reach the database: Connection refused}.
     */
    static String describe(Throwable problem) {
        List<String> parts = new ArrayList<>();
        Throwable current = problem;
        int depth = 0;
        while (current != null && depth++ < 8) {
            String message = current.getMessage();
            String part = message == null || message.isBlank() ? current.getClass().getSimpleName() : message.strip();
            // Wrappers often repeat their cause's message ("java.sql.SQLException: ..."); say it once.
            if (parts.stream().noneMatch(seen -> seen.contains(part))) {
                parts.add(part);
            }
            if (current.getCause() == current) {
                break;
            }
            current = current.getCause();
        }
        return String.join(": ", parts);
    }
}
