package dev.supaqueue.admin;

import java.util.Objects;

/**
 * One page of messages to look at: where, which, in what order, from which position, and how many. Pages are
 * found by a keyset on pgmq's unique {@code msg_id} rather than by offset or timestamp, so paging visits every
 * message exactly once even when many share an {@code enqueued_at}, and a later page costs no more than the first.
 * Immutable; start from {@link #firstPage(MessageSource)} and follow {@link MessagePage#next()} and
 * {@link MessagePage#previous()}.
 *
 * @param source where to look: a queue, its dead-letter queue or its archive
 * @param filter which messages ({@code null} means {@link MessageFilter#all()})
 * @param order  the display order
 * @param after  a msg_id cursor: the page that follows the row with this id in display order, or null
 * @param before a msg_id cursor: the page that precedes the row with this id in display order, or null
 * @param limit  the most messages on the page, 1 to {@value #MAX_LIMIT}
 */
public record BrowseRequest(MessageSource source, MessageFilter filter, Order order, Long after, Long before,
                            int limit) {

    /** Messages per page unless asked otherwise. */
    public static final int DEFAULT_LIMIT = 50;

    /** The most messages one page may hold. */
    public static final int MAX_LIMIT = 1000;

    /** The display order of a page, by {@code msg_id} (the order in which pgmq took the messages in). */
    public enum Order {
        /** Lowest {@code msg_id} first: the order consumers read in. */
        OLDEST_FIRST,
        /** Highest {@code msg_id} first: what arrived last on top. */
        NEWEST_FIRST
    }

    /**
     * @throws IllegalArgumentException if both cursors are set, a cursor is negative, the limit is out of range,
     *                                  or the filter asks for states the source cannot hold (live states in an
     *                                  archive, ARCHIVED in a live queue)
     */
    public BrowseRequest {
        Objects.requireNonNull(source, "source");
        filter = filter == null ? MessageFilter.all() : filter;
        Objects.requireNonNull(order, "order");
        if (after != null && before != null) {
            throw new IllegalArgumentException("Give at most one cursor, after (" + after + ") or before (" + before
                    + "), not both");
        }
        checkCursor(after, "after");
        checkCursor(before, "before");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("The page limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        // Refuse a filter the source can never match now, not when the page is fetched.
        FilterSql.of(filter, source.area());
    }

    /** The first page of a source: every message, oldest first, {@value #DEFAULT_LIMIT} per page. */
    public static BrowseRequest firstPage(MessageSource source) {
        return new BrowseRequest(source, MessageFilter.all(), Order.OLDEST_FIRST, null, null, DEFAULT_LIMIT);
    }

    /** This request with another filter, back on the first page (the old position belonged to other rows). */
    public BrowseRequest withFilter(MessageFilter value) {
        return new BrowseRequest(source, value, order, null, null, limit);
    }

    /** This request in another order, back on the first page (a cursor would point the other way). */
    public BrowseRequest withOrder(Order value) {
        return new BrowseRequest(source, filter, value, null, null, limit);
    }

    /** This request with another page size, at the same position. */
    public BrowseRequest withLimit(int value) {
        return new BrowseRequest(source, filter, order, after, before, value);
    }

    /** The page that follows the row with this msg_id in display order (null: the first page). */
    public BrowseRequest withAfter(Long msgId) {
        return new BrowseRequest(source, filter, order, msgId, null, limit);
    }

    /** The page that precedes the row with this msg_id in display order (null: the first page). */
    public BrowseRequest withBefore(Long msgId) {
        return new BrowseRequest(source, filter, order, null, msgId, limit);
    }

    /** This request on its first page. */
    public BrowseRequest firstPage() {
        return new BrowseRequest(source, filter, order, null, null, limit);
    }

    /** Whether this asks for the first page (no cursor). */
    public boolean isFirstPage() {
        return after == null && before == null;
    }

    private static void checkCursor(Long cursor, String name) {
        if (cursor != null && cursor < 0) {
            throw new IllegalArgumentException("The " + name + " cursor is a msg_id (0 or more), got " + cursor);
        }
    }
}
