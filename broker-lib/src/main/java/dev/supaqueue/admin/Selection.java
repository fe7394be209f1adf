package dev.supaqueue.admin;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The messages a bulk action acts on, fixed when the action is asked for — never "whatever matches now", so a
 * message that arrives while the action runs is not swept up with the rest.
 */
public sealed interface Selection {

    /** At most this many ids in one explicit snapshot. */
    int MAX_IDS = 1_000_000;

    /**
     * Exactly these messages (those already gone are reported as missing).
     *
     * @param msgIds distinct ids in ascending order
     */
    record Ids(List<Long> msgIds) implements Selection {

        public Ids {
            Objects.requireNonNull(msgIds, "msgIds");
            if (msgIds.isEmpty()) {
                throw new IllegalArgumentException("Select at least one message id");
            }
            if (msgIds.size() > MAX_IDS) {
                throw new IllegalArgumentException("At most " + MAX_IDS + " ids can be selected at once, got "
                        + msgIds.size() + "; select by a msg_id bound instead (Selection.upTo)");
            }
            TreeSet<Long> sorted = new TreeSet<>();
            for (Long id : msgIds) {
                if (id == null || id < 1) {
                    throw new IllegalArgumentException("Message ids are positive numbers, got " + id);
                }
                sorted.add(id);
            }
            msgIds = List.copyOf(sorted);
        }
    }

    /**
     * Every message with {@code msg_id <= maxMsgId} that matches the filter when its batch is reached. pgmq's ids
     * only grow, so messages sent after the action was asked for are never included. Conditions on the payload
     * cannot change; a state condition is judged batch by batch.
     *
     * @param maxMsgId the highest id included
     * @param filter   which of those messages
     */
    record UpTo(long maxMsgId, MessageFilter filter) implements Selection {

        public UpTo {
            if (maxMsgId < 1) {
                throw new IllegalArgumentException("The msg_id bound must be at least 1, got " + maxMsgId);
            }
            Objects.requireNonNull(filter, "filter");
        }
    }

    /** Exactly these messages. */
    static Selection ids(Collection<Long> msgIds) {
        return new Ids(new java.util.ArrayList<>(Objects.requireNonNull(msgIds, "msgIds")));
    }

    /** Exactly these messages. */
    static Selection ids(long... msgIds) {
        return new Ids(java.util.Arrays.stream(msgIds).boxed().toList());
    }

    /** Every message with {@code msg_id <= maxMsgId}. */
    static Selection upTo(long maxMsgId) {
        return new UpTo(maxMsgId, MessageFilter.all());
    }

    /** Every message with {@code msg_id <= maxMsgId} that matches the filter. */
    static Selection upTo(long maxMsgId, MessageFilter filter) {
        return new UpTo(maxMsgId, filter);
    }
}
