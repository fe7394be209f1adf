package dev.supaqueue.admin;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an action did, exactly. For every action {@code selected = affected + missing + skipped}.
 *
 * @param action    the action, e.g. {@code "replay"}
 * @param source    the messages' queue or archive
 * @param target    the queue messages were sent to (move and replay), else null
 * @param selected  messages looked at: the explicit ids given, or the rows the bound matched (only up to where
 *                  the action stopped when it was cancelled)
 * @param affected  messages changed (deleted, archived, made visible, postponed, replayed, moved, purged)
 * @param missing   selected messages that were no longer there when their batch ran
 * @param skipped   selected messages left alone on purpose: in flight (a worker holds it) during a move or replay,
 *                  or locked by a reader at that moment
 * @param cancelled whether the action stopped early (cancelled, interrupted, or its progress listener failed);
 *                  what was not reached is untouched
 * @param batches   committed batches (transactions)
 * @param elapsed   how long the action took
 * @param newMsgIds ids of the messages created in the target (move and replay), ascending per batch; at most
 *                  {@value #MAX_NEW_MSG_IDS} are kept
 * @param summary   one plain sentence saying what happened, for people
 */
public record ActionReport(String action, MessageSource source, String target, long selected, long affected,
                           long missing, long skipped, boolean cancelled, int batches, Duration elapsed,
                           List<Long> newMsgIds, String summary) {

    /** How many new ids a report keeps. */
    public static final int MAX_NEW_MSG_IDS = 10_000;

    public ActionReport {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(summary, "summary");
        newMsgIds = newMsgIds == null ? List.of() : List.copyOf(newMsgIds);
        if (newMsgIds.size() > MAX_NEW_MSG_IDS) {
            newMsgIds = newMsgIds.subList(0, MAX_NEW_MSG_IDS);
        }
    }

    /** Whether every selected message was affected and the action ran to the end. */
    public boolean isComplete() {
        return !cancelled && affected == selected;
    }
}
