package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.admin.MessageSource.Area;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class FilterSqlTest {

    @Test
    void noFilterIsTrueWithoutParameters() {
        FilterSql sql = FilterSql.of(MessageFilter.all(), Area.QUEUE);
        assertThat(sql.sql()).isEqualTo("TRUE");
        assertThat(sql.parameters()).isEmpty();
        assertThat(FilterSql.of(MessageFilter.all(), Area.ARCHIVE).sql()).isEqualTo("TRUE");
    }

    @Test
    void eachLiveStateHasItsCondition() {
        assertThat(FilterSql.of(MessageFilter.all().withStates(MessageState.READY), Area.QUEUE).sql())
                .isEqualTo("(vt <= now())");
        assertThat(FilterSql.of(MessageFilter.all().withStates(MessageState.IN_FLIGHT), Area.QUEUE).sql())
                .isEqualTo("((vt > now() AND read_ct > 0))");
        assertThat(FilterSql.of(MessageFilter.all().withStates(MessageState.DELAYED), Area.QUEUE).sql())
                .isEqualTo("((vt > now() AND read_ct = 0))");
    }

    @Test
    void severalStatesAreAlternatives() {
        FilterSql sql = FilterSql.of(MessageFilter.all().withStates(MessageState.IN_FLIGHT, MessageState.READY),
                Area.QUEUE);
        assertThat(sql.sql()).isEqualTo("(vt <= now() OR (vt > now() AND read_ct > 0))");
        assertThat(sql.parameters()).isEmpty();
    }

    @Test
    void everyLiveStateIsNoCondition() {
        FilterSql sql = FilterSql.of(MessageFilter.all().withStates(EnumSet.allOf(MessageState.class)), Area.QUEUE);
        assertThat(sql.sql()).isEqualTo("TRUE");
        assertThat(FilterSql.of(MessageFilter.all().withStates(MessageState.READY, MessageState.IN_FLIGHT,
                MessageState.DELAYED), Area.QUEUE).sql()).isEqualTo("TRUE");
    }

    @Test
    void archivedAlongsideLiveStatesIsIgnoredInTheQueue() {
        FilterSql sql = FilterSql.of(MessageFilter.all().withStates(MessageState.ARCHIVED, MessageState.DELAYED),
                Area.QUEUE);
        assertThat(sql.sql()).isEqualTo("((vt > now() AND read_ct = 0))");
    }

    @Test
    void onlyArchivedInTheQueueIsRefusedPointingToTheArchive() {
        assertThatThrownBy(() -> FilterSql.of(MessageFilter.all().withStates(MessageState.ARCHIVED), Area.QUEUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ARCHIVED")
                .hasMessageContaining("MessageSource.archive");
    }

    @Test
    void liveStatesInTheArchiveAreRefused() {
        assertThatThrownBy(() -> FilterSql.of(MessageFilter.all().withStates(MessageState.READY), Area.ARCHIVE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("archive holds only ARCHIVED")
                .hasMessageContaining("READY");
    }

    @Test
    void archivedInTheArchiveIsNoCondition() {
        assertThat(FilterSql.of(MessageFilter.all().withStates(MessageState.ARCHIVED), Area.ARCHIVE).sql())
                .isEqualTo("TRUE");
        assertThat(FilterSql.of(MessageFilter.all().withStates(MessageState.ARCHIVED, MessageState.READY),
                Area.ARCHIVE).sql()).isEqualTo("TRUE");
    }

    @Test
    void everyValueIsABoundCastParameterInOrder() {
        MessageFilter filter = MessageFilter.all()
                .withStates(MessageState.READY)
                .withMsgId(17L)
                .withActorName("send_email")
                .withMessageId("mid-1")
                .withPayloadContaining("{\"kwargs\": {\"user_id\": 7}}");
        FilterSql sql = FilterSql.of(filter, Area.QUEUE);

        assertThat(sql.sql()).isEqualTo("(vt <= now()) AND msg_id = ?::bigint AND message->>'actor_name' = ?::text"
                + " AND message->>'message_id' = ?::text AND message @> ?::jsonb");
        assertThat(sql.parameters()).containsExactly(17L, "send_email", "mid-1", "{\"kwargs\": {\"user_id\": 7}}");
    }

    @Test
    void hostileValuesNeverReachTheSqlText() {
        String hostile = "x' OR 1=1; DROP TABLE pgmq.meta; --";
        FilterSql sql = FilterSql.of(MessageFilter.all().withActorName(hostile).withMessageId(hostile)
                .withPayloadContaining("{\"a\": \"" + "'; DROP TABLE pgmq.meta; --" + "\"}"), Area.ARCHIVE);

        assertThat(sql.sql()).doesNotContain("DROP", "OR 1=1");
        assertThat(sql.sql().chars().filter(c -> c == '?').count()).isEqualTo(sql.parameters().size());
        assertThat(sql.parameters()).contains(hostile);
    }

    @Test
    void placeholdersMatchParametersForEveryCombination() {
        MessageFilter[] parts = {
                MessageFilter.all().withMsgId(1L), MessageFilter.all().withActorName("a"),
                MessageFilter.all().withMessageId("m"), MessageFilter.all().withPayloadContaining("{}")};
        for (int mask = 0; mask < 16; mask++) {
            MessageFilter filter = MessageFilter.all().withStates(MessageState.DELAYED);
            for (int bit = 0; bit < 4; bit++) {
                if ((mask & (1 << bit)) != 0) {
                    MessageFilter part = parts[bit];
                    filter = new MessageFilter(filter.states(),
                            part.actorName() != null ? part.actorName() : filter.actorName(),
                            part.msgId() != null ? part.msgId() : filter.msgId(),
                            part.messageId() != null ? part.messageId() : filter.messageId(),
                            part.payloadContains() != null ? part.payloadContains() : filter.payloadContains());
                }
            }
            FilterSql sql = FilterSql.of(filter, Area.QUEUE);
            assertThat(sql.sql().chars().filter(c -> c == '?').count())
                    .as("mask %d: %s", mask, sql.sql()).isEqualTo(Integer.bitCount(mask));
            assertThat(sql.parameters()).hasSize(Integer.bitCount(mask));
        }
    }

    @Test
    void parametersAreCopied() {
        FilterSql sql = new FilterSql("msg_id = ?::bigint", new java.util.ArrayList<>(java.util.List.of(5L)));
        assertThatThrownBy(() -> sql.parameters().add(6L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void stateExpressionAgreesWithTheStateConditions() {
        // The expression names the states by their enum constants, in the order of the conditions.
        String expression = FilterSql.STATE_EXPRESSION;
        assertThat(expression).contains("WHEN vt <= now() THEN 'READY'", "WHEN read_ct > 0 THEN 'IN_FLIGHT'",
                "ELSE 'DELAYED'");
        for (MessageState state : EnumSet.of(MessageState.READY, MessageState.IN_FLIGHT, MessageState.DELAYED)) {
            assertThat(expression).contains("'" + state.name() + "'");
        }
    }
}
