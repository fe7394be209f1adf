package dev.supaqueue.admin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of browsed messages, in the request's display order, with the server's clock at the moment it was
 * read (for visibility countdowns without clock skew) and whether there is more on either side.
 *
 * @param request     the request that produced the page
 * @param messages    the messages, in display order
 * @param serverTime  the database's {@code now()} for the statement that read the page; states were judged by it
 * @param hasNext     whether a matching message follows the page in display order
 * @param hasPrevious whether a matching message precedes the page in display order
 */
public record MessagePage(BrowseRequest request, List<BrowsedMessage> messages, Instant serverTime, boolean hasNext,
                          boolean hasPrevious) {

    public MessagePage {
        Objects.requireNonNull(request, "request");
        messages = List.copyOf(messages);
        Objects.requireNonNull(serverTime, "serverTime");
    }

    /** The request for the page that follows this one, if there is one. */
    public Optional<BrowseRequest> next() {
        if (!hasNext) {
            return Optional.empty();
        }
        if (!messages.isEmpty()) {
            return Optional.of(request.withAfter(messages.get(messages.size() - 1).msgId()));
        }
        // An empty page (its rows were removed meanwhile): continue from the cursor itself, including its row.
        Long before = request.before();
        if (before != null) {
            return Optional.of(request.withAfter(oldestFirst() ? Math.max(0, before - 1) : saturatedIncrement(before)));
        }
        return Optional.of(request);
    }

    /** The request for the page that precedes this one, if there is one. */
    public Optional<BrowseRequest> previous() {
        if (!hasPrevious) {
            return Optional.empty();
        }
        if (!messages.isEmpty()) {
            return Optional.of(request.withBefore(messages.get(0).msgId()));
        }
        Long after = request.after();
        if (after != null) {
            return Optional.of(request.withBefore(oldestFirst() ? saturatedIncrement(after) : Math.max(0, after - 1)));
        }
        return Optional.of(request);
    }

    /** Whether the page holds no message. */
    public boolean isEmpty() {
        return messages.isEmpty();
    }

    private boolean oldestFirst() {
        return request.order() == BrowseRequest.Order.OLDEST_FIRST;
    }

    private static long saturatedIncrement(long value) {
        return value == Long.MAX_VALUE ? value : value + 1;
    }
}
