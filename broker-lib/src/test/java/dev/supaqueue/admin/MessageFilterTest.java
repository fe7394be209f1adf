package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageFilterTest {

    @Test
    void allFiltersNothing() {
        MessageFilter all = MessageFilter.all();
        assertThat(all.isEmpty()).isTrue();
        assertThat(all.states()).isEmpty();
        assertThat(all.actorName()).isNull();
        assertThat(all.msgId()).isNull();
        assertThat(all.messageId()).isNull();
        assertThat(all.payloadContains()).isNull();
        assertThat(new MessageFilter(null, null, null, null, null)).isEqualTo(all);
    }

    @Test
    void eachWitherSetsOnePartAndKeepsTheOthers() {
        MessageFilter filter = MessageFilter.all()
                .withStates(MessageState.READY, MessageState.DELAYED)
                .withActorName("send_email")
                .withMsgId(42L)
                .withMessageId("6f1c0c1e-0000-4000-8000-000000000001")
                .withPayloadContaining("{\"kwargs\": {\"user_id\": 7}}");

        assertThat(filter.states()).containsExactlyInAnyOrder(MessageState.READY, MessageState.DELAYED);
        assertThat(filter.actorName()).isEqualTo("send_email");
        assertThat(filter.msgId()).isEqualTo(42L);
        assertThat(filter.messageId()).isEqualTo("6f1c0c1e-0000-4000-8000-000000000001");
        assertThat(filter.payloadContains()).isEqualTo("{\"kwargs\": {\"user_id\": 7}}");
        assertThat(filter.isEmpty()).isFalse();
    }

    @Test
    void nullDropsACondition() {
        MessageFilter filter = MessageFilter.all().withActorName("a").withMsgId(1L).withMessageId("m")
                .withPayloadContaining("{}");
        MessageFilter cleared = filter.withActorName(null).withMsgId(null).withMessageId(null)
                .withPayloadContaining(null);
        assertThat(cleared).isEqualTo(MessageFilter.all());
        assertThat(cleared.isEmpty()).isTrue();
    }

    @Test
    void anyOnePartMakesTheFilterNonEmpty() {
        assertThat(MessageFilter.all().withStates(MessageState.READY).isEmpty()).isFalse();
        assertThat(MessageFilter.all().withActorName("a").isEmpty()).isFalse();
        assertThat(MessageFilter.all().withMsgId(1L).isEmpty()).isFalse();
        assertThat(MessageFilter.all().withMessageId("m").isEmpty()).isFalse();
        assertThat(MessageFilter.all().withPayloadContaining("{\"a\":1}").isEmpty()).isFalse();
    }

    @Test
    void statesAreCopiedAndCannotBeChangedAfterwards() {
        Set<MessageState> states = EnumSet.of(MessageState.READY);
        MessageFilter filter = new MessageFilter(states, null, null, null, null);
        states.add(MessageState.IN_FLIGHT);

        assertThat(filter.states()).containsExactly(MessageState.READY);
        assertThatThrownBy(() -> filter.states().add(MessageState.DELAYED))
                .isInstanceOf(UnsupportedOperationException.class);

        List<MessageState> list = new ArrayList<>(List.of(MessageState.DELAYED));
        MessageFilter fromList = MessageFilter.all().withStates(list);
        list.add(MessageState.READY);
        assertThat(fromList.states()).containsExactly(MessageState.DELAYED);
    }

    @Test
    void withStatesOfNullMeansEveryState() {
        MessageFilter filter = MessageFilter.all().withStates(MessageState.READY)
                .withStates((java.util.Collection<MessageState>) null);
        assertThat(filter.states()).isEmpty();
    }

    @Test
    void withStatesOfAnEmptyEnumSetMeansEveryState() {
        assertThat(MessageFilter.all().withStates(EnumSet.noneOf(MessageState.class)).states()).isEmpty();
    }

    @Test
    void withStatesOfAnEmptyListMeansEveryState() {
        assertThat(MessageFilter.all().withStates(MessageState.READY).withStates(List.of()).states()).isEmpty();
    }

    @Test
    void equalFiltersAreEqual() {
        MessageFilter a = MessageFilter.all().withStates(MessageState.IN_FLIGHT, MessageState.READY)
                .withActorName("x");
        MessageFilter b = MessageFilter.all().withActorName("x")
                .withStates(List.of(MessageState.READY, MessageState.IN_FLIGHT));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void blankTextsAreRefusedNamingThePart() {
        assertThatThrownBy(() -> MessageFilter.all().withActorName("  "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actor name");
        assertThatThrownBy(() -> MessageFilter.all().withMessageId(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message id");
        assertThatThrownBy(() -> MessageFilter.all().withPayloadContaining(" \n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload filter");
    }

    @Test
    void invalidJsonContainmentIsRefusedWithTheParserMessage() {
        assertThatThrownBy(() -> MessageFilter.all().withPayloadContaining("{\"kwargs\": {user_id: 7}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("e.g.");
        assertThatThrownBy(() -> MessageFilter.all().withPayloadContaining("{'a': 1}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> MessageFilter.all().withPayloadContaining("{\"a\": NaN}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void trailingTextAfterTheJsonDocumentIsRefused() {
        assertThatThrownBy(() -> MessageFilter.all().withPayloadContaining("{\"a\": 1} {\"b\": 2}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void validJsonOfAnyKindIsAccepted() {
        assertThat(MessageFilter.all().withPayloadContaining("[1, 2]").payloadContains()).isEqualTo("[1, 2]");
        assertThat(MessageFilter.all().withPayloadContaining("\"text\"").payloadContains()).isEqualTo("\"text\"");
        assertThat(MessageFilter.all().withPayloadContaining("7").payloadContains()).isEqualTo("7");
    }

    @Test
    void hostileTextIsKeptAsItIs() {
        String hostile = "x'; DROP TABLE pgmq.meta; --";
        assertThat(MessageFilter.all().withActorName(hostile).actorName()).isEqualTo(hostile);
        assertThat(MessageFilter.all().withMessageId(hostile).messageId()).isEqualTo(hostile);
    }

    @Test
    void toStringShowsEveryPart() {
        String text = MessageFilter.all().withStates(MessageState.READY).withActorName("act").withMsgId(9L)
                .withMessageId("mid").withPayloadContaining("{\"k\":1}").toString();
        assertThat(text).contains("READY", "act", "9", "mid", "{\"k\":1}");
    }

    @Test
    void textThatNoStoredMessageCanHoldIsRefusedWhenTheFilterIsBuilt() {
        assertThatThrownBy(() -> MessageFilter.all().withPayloadContaining("{\"a\": \"x\\u0000y\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
        assertThatThrownBy(() -> MessageFilter.all().withActorName("send\0mail"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actor name");
        assertThatThrownBy(() -> MessageFilter.all().withMsgId(-5L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
        assertThatThrownBy(() -> MessageSource.deadLetters(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }
}
