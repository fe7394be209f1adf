package dev.supaqueue.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PgmqQueueNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"jobs", "a", "MyQueue", "with-hyphen", "dots.and spaces", "ns__jobs_xq", "ünïcödé"})
    void namesPgmqAcceptsPassUnchanged(String name) {
        assertThat(PgmqQueueName.validate(name)).isSameAs(name);
        assertThat(PgmqQueueName.isValid(name)).isTrue();
    }

    @Test
    void fortySevenCharactersIsTheLimit() {
        String longest = "q".repeat(47);
        assertThat(PgmqQueueName.validate(longest)).isEqualTo(longest);
        assertThatThrownBy(() -> PgmqQueueName.validate(longest + "q"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 47 characters")
                .hasMessageContaining("has 48");
    }

    @Test
    void lengthCountsCharactersNotUtf16Units() {
        // 47 emoji are 94 UTF-16 units but 47 characters, as PostgreSQL's length() counts them.
        String emoji = "\uD83D\uDE00".repeat(47);
        assertThat(PgmqQueueName.isValid(emoji)).isTrue();
        assertThat(PgmqQueueName.isValid(emoji + "x")).isFalse();
    }

    @Test
    void nullAndEmptyAreRejected() {
        assertThatThrownBy(() -> PgmqQueueName.validate(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be null");
        assertThatThrownBy(() -> PgmqQueueName.validate(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cost$", "a;b", "x--y", "it's", "x'); DROP TABLE pgmq.meta; --"})
    void forbiddenSubstringsAreRejectedByName(String name) {
        assertThatThrownBy(() -> PgmqQueueName.validate(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain");
        assertThat(PgmqQueueName.isValid(name)).isFalse();
    }

    @Test
    void theMessageNamesTheForbiddenPart() {
        assertThatThrownBy(() -> PgmqQueueName.validate("a--b"))
                .hasMessageContaining("must not contain --");
        assertThatThrownBy(() -> PgmqQueueName.validate("a;b"))
                .hasMessageContaining("must not contain ;");
    }

    @Test
    void aSingleHyphenIsFine() {
        assertThat(PgmqQueueName.isValid("a-b-c")).isTrue();
    }
}
