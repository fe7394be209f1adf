package dev.supaqueue.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The one sentence an {@link ActionReport} carries, in plain words. */
final class BulkSummary {

    /** How an action reads in a sentence. */
    private record Wording(String verb, String preposition, String participle, String suffix) {
    }

    private BulkSummary() {
    }

    /**
     * A sentence such as "Replayed 40 of 42 selected messages from app_emails_xq to app_emails; 2 were no longer
     * there."
     *
     * @param detail     words after the queue, e.g. " by 5 minutes", or ""
     * @param stopReason why the action stopped early (e.g. "cancelled"), or null when it ran to the end
     */
    static String of(String action, MessageSource source, String target, String detail, long selected,
                     long affected, long missing, long skipped, int batches, String stopReason) {
        Wording wording = wording(action, target, detail);
        List<String> clauses = new ArrayList<>();
        if (selected == 0) {
            clauses.add("No messages in " + source + " matched the selection, so nothing was "
                    + wording.participle());
        } else {
            clauses.add(wording.verb() + " " + affected + " of " + selected + " selected " + messages(selected)
                    + " " + wording.preposition() + " " + source + wording.suffix());
            if (missing > 0) {
                clauses.add(missing + " " + wasWere(missing) + " no longer there");
            }
            if (skipped > 0) {
                clauses.add(skipped + " " + wasWere(skipped) + " left alone ("
                        + (action.equals("move") || action.equals("replay")
                        ? "in flight with a worker, or locked by a reader at that moment"
                        : "locked by a reader at that moment") + ")");
            }
        }
        if (stopReason != null) {
            clauses.add(stopReason + " after " + batches + (batches == 1 ? " batch" : " batches")
                    + ", so the rest of the selection was not touched");
        }
        return String.join("; ", clauses) + ".";
    }

    /** A purge: "Purged 120 messages from app_emails (archive)." */
    static String purge(MessageSource source, long count) {
        if (count == 0) {
            return source + " was already empty; nothing was purged.";
        }
        return "Purged " + count + " " + messages(count) + " from " + source + ".";
    }

    /** A duration as people say it: "1 hour 30 minutes", "250 milliseconds". */
    static String duration(Duration duration) {
        List<String> parts = new ArrayList<>();
        long days = duration.toDays();
        long hours = duration.toHoursPart();
        long minutes = duration.toMinutesPart();
        long seconds = duration.toSecondsPart();
        long millis = duration.toMillisPart();
        add(parts, days, "day");
        add(parts, hours, "hour");
        add(parts, minutes, "minute");
        add(parts, seconds, "second");
        add(parts, millis, "millisecond");
        return parts.isEmpty() ? duration.toString() : String.join(" ", parts);
    }

    private static void add(List<String> parts, long value, String unit) {
        if (value > 0) {
            parts.add(value + " " + unit + (value == 1 ? "" : "s"));
        }
    }

    private static Wording wording(String action, String target, String detail) {
        return switch (action) {
            case "delete" -> new Wording("Deleted", "from", "deleted", detail);
            case "archive" -> new Wording("Archived", "in", "archived", detail);
            case "makeVisible" -> new Wording("Made", "in", "made visible", " visible now" + detail);
            case "postpone" -> new Wording("Postponed", "in", "postponed", detail);
            case "replay" -> new Wording("Replayed", "from", "replayed", " to " + target + detail);
            case "move" -> new Wording("Moved", "from", "moved", " to " + target + detail);
            default -> throw new IllegalArgumentException("No wording for action " + action);
        };
    }

    private static String messages(long count) {
        return count == 1 ? "message" : "messages";
    }

    private static String wasWere(long count) {
        return count == 1 ? "was" : "were";
    }
}
