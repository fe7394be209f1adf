package dev.supaqueue.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@link MessageFilter} as a SQL condition over one pgmq table, with {@code ?} placeholders and the values to
 * bind in order. The condition only names pgmq's own columns; every value is a bound, cast parameter. States are
 * judged against {@code now()}, the statement's start in autocommit mode, so one page is consistent.
 *
 * @param sql        a condition to AND into a WHERE clause ({@code TRUE} when nothing is filtered)
 * @param parameters the values for its placeholders, in order (String or Long)
 */
record FilterSql(String sql, List<Object> parameters) {

    static final String READY = "vt <= now()";
    static final String IN_FLIGHT = "(vt > now() AND read_ct > 0)";
    static final String DELAYED = "(vt > now() AND read_ct = 0)";

    /** The state of a live row, as a SQL expression returning text. */
    static final String STATE_EXPRESSION =
            "CASE WHEN vt <= now() THEN 'READY' WHEN read_ct > 0 THEN 'IN_FLIGHT' ELSE 'DELAYED' END";

    FilterSql {
        parameters = List.copyOf(parameters);
    }

    /**
     * The condition for a filter on one area.
     *
     * @throws IllegalArgumentException if the filter asks for live states in the archive, or ARCHIVED in the queue
     */
    static FilterSql of(MessageFilter filter, MessageSource.Area area) {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        Set<MessageState> states = filter.states();
        if (!states.isEmpty()) {
            if (area == MessageSource.Area.ARCHIVE) {
                if (!states.contains(MessageState.ARCHIVED)) {
                    throw new IllegalArgumentException("The archive holds only ARCHIVED messages; a filter on "
                            + states + " would match nothing there");
                }
            } else {
                if (states.equals(Set.of(MessageState.ARCHIVED))) {
                    throw new IllegalArgumentException("A queue's live table holds no ARCHIVED messages; browse"
                            + " its archive (MessageSource.archive) instead");
                }
                List<String> alternatives = new ArrayList<>();
                if (states.contains(MessageState.READY)) {
                    alternatives.add(READY);
                }
                if (states.contains(MessageState.IN_FLIGHT)) {
                    alternatives.add(IN_FLIGHT);
                }
                if (states.contains(MessageState.DELAYED)) {
                    alternatives.add(DELAYED);
                }
                if (alternatives.size() < 3) {
                    conditions.add("(" + String.join(" OR ", alternatives) + ")");
                }
            }
        }
        if (filter.msgId() != null) {
            conditions.add("msg_id = ?::bigint");
            parameters.add(filter.msgId());
        }
        if (filter.actorName() != null) {
            conditions.add("message->>'actor_name' = ?::text");
            parameters.add(filter.actorName());
        }
        if (filter.messageId() != null) {
            conditions.add("message->>'message_id' = ?::text");
            parameters.add(filter.messageId());
        }
        if (filter.payloadContains() != null) {
            conditions.add("message @> ?::jsonb");
            parameters.add(filter.payloadContains());
        }
        return new FilterSql(conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions), parameters);
    }
}
