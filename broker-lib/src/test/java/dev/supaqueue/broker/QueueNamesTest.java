package dev.supaqueue.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class QueueNamesTest {

    // The rule each refusal must name.
    static final String NULL = "must not be null";
    static final String EMPTY = "must not be empty";
    static final String CHARACTERS = "may contain only lowercase letters a-z, digits 0-9 and underscores";
    static final String QUEUE_START = "must start with a lowercase letter or an underscore";
    static final String NAMESPACE_START = "must start with a lowercase letter,";
    static final String RESERVED = "are reserved for dead-letter queues";
    static final String TOO_LONG = "too long";

    /**
     * One name to check.
     *
     * @param namespace the namespace ("" for none)
     * @param queue     the queue name
     * @param rule      null if the pair is valid, else the phrase the refusal must contain
     */
    record Case(String namespace, String queue, String rule) {
        static Case ok(String queue) {
            return new Case("", queue, null);
        }

        static Case ok(String namespace, String queue) {
            return new Case(namespace, queue, null);
        }

        static Case bad(String queue, String rule) {
            return new Case("", queue, rule);
        }

        static Case bad(String namespace, String queue, String rule) {
            return new Case(namespace, queue, rule);
        }

        @Override
        public String toString() {
            return (namespace == null ? "null" : show(namespace)) + " / " + (queue == null ? "null" : show(queue))
                    + (rule == null ? " -> ok" : " -> " + rule);
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>(List.of(
                // accepted
                Case.ok("default"), Case.ok("a"), Case.ok("_"), Case.ok("__"), Case.ok("_private"), Case.ok("q1"),
                Case.ok("emails_high"), Case.ok("a_b_c"), Case.ok("x__y"), Case.ok("z9"), Case.ok("queue_2024"),
                Case.ok("xq_"), Case.ok("xqq"), Case.ok("axq"), Case.ok("a_xqz"), Case.ok("x_xq_"), Case.ok("xq_a"),
                Case.ok("a".repeat(44)), Case.ok("_".repeat(44)),
                Case.ok("app", "default"), Case.ok("app", "_private"), Case.ok("tenant_1", "jobs"),
                Case.ok("a", "b"), Case.ok("app_", "jobs"), Case.ok("app", "xq_"),
                Case.ok("app", "q".repeat(40)), Case.ok("n".repeat(42), "q"),
                Case.ok("ns", "x".repeat(41)),
                // null and empty
                Case.bad(null, NULL), Case.bad("", EMPTY), Case.bad("app", "", EMPTY), Case.bad("app", null, NULL),
                // whitespace and control characters
                Case.bad(" ", CHARACTERS), Case.bad("a b", CHARACTERS), Case.bad("a\tb", CHARACTERS),
                Case.bad("a\nb", CHARACTERS), Case.bad("default ", CHARACTERS), Case.bad(" default", CHARACTERS),
                Case.bad("\u0000", CHARACTERS), Case.bad("a\u0000", CHARACTERS), Case.bad("a\u007fb", CHARACTERS),
                Case.bad("a\rb", CHARACTERS),
                // uppercase: never lowercased for the caller
                Case.bad("Default", CHARACTERS), Case.bad("DEFAULT", CHARACTERS), Case.bad("myQueue", CHARACTERS),
                Case.bad("A", CHARACTERS), Case.bad("x_XQ", CHARACTERS), Case.bad("app", "Jobs", CHARACTERS),
                // unicode
                Case.bad("café", CHARACTERS), Case.bad("очередь", CHARACTERS), Case.bad("队列", CHARACTERS),
                Case.bad("emoji🚀", CHARACTERS), Case.bad("\uff41", CHARACTERS), Case.bad("\u0131", CHARACTERS),
                Case.bad("stra\u00dfe", CHARACTERS), Case.bad("e\u0301", CHARACTERS),
                Case.bad("zero\u200bwidth", CHARACTERS), Case.bad("\ufeffbom", CHARACTERS),
                Case.bad("lone\ud800", CHARACTERS), Case.bad("\u00e9", CHARACTERS),
                // first character
                Case.bad("1queue", QUEUE_START), Case.bad("9", QUEUE_START), Case.bad("0_x", QUEUE_START),
                Case.bad("app", "2fa", QUEUE_START),
                // Dramatiq's delay and dead-letter names
                Case.bad("default.DQ", CHARACTERS), Case.bad("default.XQ", CHARACTERS),
                Case.bad("default.dq", CHARACTERS),
                // reserved for dead-letter queues
                Case.bad("xq", RESERVED), Case.bad("_xq", RESERVED), Case.bad("a_xq", RESERVED),
                Case.bad("default_xq", RESERVED), Case.bad("__xq", RESERVED), Case.bad("app", "jobs_xq", RESERVED),
                Case.bad("app", "xq", RESERVED),
                // length: the dead-letter queue's name must fit pgmq's 47 characters
                Case.bad("a".repeat(45), TOO_LONG), Case.bad("a".repeat(46), TOO_LONG),
                Case.bad("a".repeat(47), TOO_LONG), Case.bad("a".repeat(48), TOO_LONG),
                Case.bad("a".repeat(100), TOO_LONG), Case.bad("app", "q".repeat(41), TOO_LONG),
                Case.bad("ns", "x".repeat(42), TOO_LONG), Case.bad("n".repeat(42), "qq", TOO_LONG),
                // SQL and pgmq's own refused substrings
                Case.bad("x'; drop table pgmq.meta; --", CHARACTERS), Case.bad("q; select 1", CHARACTERS),
                Case.bad("a--b", CHARACTERS), Case.bad("$1", CHARACTERS), Case.bad("q\" or \"1\"=\"1", CHARACTERS),
                Case.bad("pgmq.q_default", CHARACTERS), Case.bad("q_$", CHARACTERS), Case.bad("'", CHARACTERS),
                Case.bad("--", CHARACTERS), Case.bad("q_default; --", CHARACTERS),
                Case.bad("../etc/passwd", CHARACTERS), Case.bad("%I", CHARACTERS),
                // namespaces
                Case.bad(null, "default", NULL), Case.bad("App", "default", CHARACTERS),
                Case.bad("1app", "default", NAMESPACE_START), Case.bad("_app", "default", NAMESPACE_START),
                Case.bad("a-b", "default", CHARACTERS), Case.bad("app.", "default", CHARACTERS),
                Case.bad("tenant x", "default", CHARACTERS), Case.bad("n".repeat(43), "q", TOO_LONG),
                Case.bad("ns'", "q", CHARACTERS)));
        // Every ASCII punctuation character but the underscore, inside a name and at its start.
        for (char c = '!'; c <= '~'; c++) {
            if (!Character.isLetterOrDigit(c) && c != '_') {
                cases.add(Case.bad("a" + c + "b", CHARACTERS));
                cases.add(Case.bad(c + "a", CHARACTERS));
            }
        }
        return cases.stream();
    }

    @Test
    void tableIsLargeEnough() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(100);
        assertThat(cases().filter(c -> c.rule() == null).count()).isGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void acceptsOrRefusesNamingTheRule(Case c) {
        if (c.rule() == null) {
            assertAccepted(c.namespace(), c.queue());
        } else {
            assertRefused(c);
        }
    }

    private static void assertAccepted(String namespace, String queue) {
        String expected = namespace.isEmpty() ? queue : namespace + "_" + queue;

        assertThat(QueueNames.pgmqName(namespace, queue)).isEqualTo(expected);
        assertThat(QueueNames.deadLetterName(namespace, queue)).isEqualTo(expected + "_xq")
                .hasSizeLessThanOrEqualTo(QueueNames.MAX_PGMQ_NAME_LENGTH);
        assertThat(QueueNames.validateNamespace(namespace)).isSameAs(namespace);
        if (namespace.isEmpty()) {
            assertThat(QueueNames.validateQueueName(queue)).isSameAs(queue);
        }
        assertThat(QueueNames.parse(namespace, expected)).contains(new QueueNames.Parsed(queue, false));
        assertThat(QueueNames.parse(namespace, expected + "_xq")).contains(new QueueNames.Parsed(queue, true));
        assertThat(QueueNames.isDeadLetter(expected)).isFalse();
        assertThat(QueueNames.isDeadLetter(expected + "_xq")).isTrue();
    }

    private static void assertRefused(Case c) {
        IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
                () -> QueueNames.pgmqName(c.namespace(), c.queue()));

        assertThat(e).as("pgmqName(%s)", c).isNotNull();
        assertThat(e.getMessage()).contains(c.rule());
        assertThat(e.getMessage()).startsWith(c.namespace() == null || isBadNamespace(c)
                ? "Invalid namespace" : "Invalid queue name");
        // The offending name is shown, escaped onto one line.
        String offending = isBadNamespace(c) ? c.namespace() : c.queue();
        if (offending != null) {
            assertThat(e.getMessage()).contains(show(offending)).doesNotContain("\n").doesNotContain("\u0000");
        }
        assertThatThrownBy(() -> QueueNames.deadLetterName(c.namespace(), c.queue()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(e.getMessage());
        if ("".equals(c.namespace())) {
            assertThatThrownBy(() -> QueueNames.validateQueueName(c.queue()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(e.getMessage());
        }
    }

    private static boolean isBadNamespace(Case c) {
        try {
            QueueNames.validateNamespace(c.namespace());
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** The name as refusals show it: in double quotes, control and invisible characters as escapes. */
    static String show(String name) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean lone = Character.isHighSurrogate(c)
                    ? i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(name.charAt(i - 1)));
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n' || c == '\r' || c == '\t') {
                out.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t");
            } else if (c < 0x20 || c == 0x7f || Character.getType(c) == Character.FORMAT || lone) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            My-Queue       | rename it, e.g. to "my_queue"
            Default        | uppercase letter 'D' (U+0044) at index 0
            Default        | rename it, e.g. to "default"
            emails.high    | character '.' (U+002E) at index 6
            emails.high    | rename it, e.g. to "emails_high"
            1queue         | rename it, e.g. to "q_1queue"
            default.DQ     | this is Dramatiq's delay queue name: map "default" instead (QueueNames.canonicalQueueName)
            default.XQ     | this is Dramatiq's dead-letter queue name: map "default" instead
            jobs_xq        | the dead-letter queue of "jobs" is managed by the broker (QueueNames.deadLetterName)
            emoji🚀         | character '🚀' (U+1F680) at index 5
            a b            | character U+0020 at index 1
            """)
    void refusalsSuggestAFix(String queue, String hint) {
        assertThatThrownBy(() -> QueueNames.validateQueueName(queue))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(hint);
    }

    @Test
    void tooLongNamesSayByHowMuch() {
        assertThatThrownBy(() -> QueueNames.pgmqName("", "a".repeat(45)))
                .hasMessage("Invalid queue name \"" + "a".repeat(45) + "\": too long; its dead-letter queue \""
                        + "a".repeat(45) + "_xq\" would have 48 characters and pgmq allows at most 47 (counting the"
                        + " namespace, the separator and the \"_xq\" suffix); shorten the queue name by 1 character");
        assertThatThrownBy(() -> QueueNames.pgmqName("app", "q".repeat(43)))
                .hasMessageContaining("in namespace \"app\": too long")
                .hasMessageEndingWith("shorten the queue name by 3 characters or use a shorter namespace");
        assertThatThrownBy(() -> QueueNames.validateNamespace("n".repeat(43)))
                .hasMessageContaining("use at most 42 characters");
    }

    @Test
    void namesAreNeverRewritten() {
        assertThat(QueueNames.pgmqName("app", "jobs")).isEqualTo("app_jobs");
        assertThat(QueueNames.pgmqName("", "jobs")).isEqualTo("jobs");
        assertThatThrownBy(() -> QueueNames.pgmqName("app", "Jobs")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueueNames.pgmqName("app", "jobs.DQ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namespaceAndQueueShareTheLengthBudget() {
        assertThat(QueueNames.MAX_NAMESPACE_LENGTH).isEqualTo(42);
        for (int namespaceLength = 1; namespaceLength <= QueueNames.MAX_NAMESPACE_LENGTH; namespaceLength++) {
            String namespace = "n".repeat(namespaceLength);
            int longest = 47 - namespaceLength - 1 - 3;
            assertThat(QueueNames.deadLetterName(namespace, "q".repeat(longest))).hasSize(47);
            int tooLong = longest + 1;
            assertThatThrownBy(() -> QueueNames.pgmqName(namespace, "q".repeat(tooLong)))
                    .hasMessageContaining(TOO_LONG);
        }
    }

    @Test
    void parseReadsOnlyNamesOfTheNamespace() {
        assertThat(QueueNames.parse("app", "app_default")).contains(new QueueNames.Parsed("default", false));
        assertThat(QueueNames.parse("app", "app_default_xq")).contains(new QueueNames.Parsed("default", true));
        assertThat(QueueNames.parse("app", "app__private_xq")).contains(new QueueNames.Parsed("_private", true));
        assertThat(QueueNames.parse("app", "app_xq_")).contains(new QueueNames.Parsed("xq_", false));
        assertThat(QueueNames.parse("app", "other_default")).isEmpty();
        assertThat(QueueNames.parse("app", "apple_default")).isEmpty();
        assertThat(QueueNames.parse("app", "app_")).isEmpty();
        assertThat(QueueNames.parse("app", "app")).isEmpty();
        assertThat(QueueNames.parse("app", "app_xq")).isEmpty();
        assertThat(QueueNames.parse("app", "app__xq")).isEmpty();
        assertThat(QueueNames.parse("app", "app_Default")).isEmpty();
        assertThat(QueueNames.parse("app", "app_my-queue")).isEmpty();
        assertThat(QueueNames.parse("app", "app_" + "q".repeat(41))).isEmpty();
        assertThat(QueueNames.parse("app", null)).isEmpty();
        assertThat(QueueNames.parse("", "default")).contains(new QueueNames.Parsed("default", false));
        assertThat(QueueNames.parse("", "app_default_xq")).contains(new QueueNames.Parsed("app_default", true));
        assertThat(QueueNames.parse("", "xq")).isEmpty();
        assertThat(QueueNames.parse("", "_xq")).isEmpty();
        assertThat(QueueNames.parse("", "a.DQ")).isEmpty();
        assertThatThrownBy(() -> QueueNames.parse("App", "App_default"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Invalid namespace \"App\"");
        assertThat(QueueNames.parse("app", "app_jobs")).isEqualTo(Optional.of(new QueueNames.Parsed("jobs", false)));
    }

    @Test
    void isDeadLetterLooksAtTheSuffix() {
        assertThat(QueueNames.isDeadLetter("app_jobs_xq")).isTrue();
        assertThat(QueueNames.isDeadLetter("jobs_xq")).isTrue();
        assertThat(QueueNames.isDeadLetter("app_jobs")).isFalse();
        assertThat(QueueNames.isDeadLetter("_xq")).isFalse();
        assertThat(QueueNames.isDeadLetter("xq")).isFalse();
        assertThat(QueueNames.isDeadLetter("jobs.XQ")).isFalse();
        assertThat(QueueNames.isDeadLetter(null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            // name,       qName,    dqName,      xqName
            "default,      default,  default.DQ,  default.XQ",
            "default.DQ,   default,  default.DQ,  default.XQ",
            "default.XQ,   default,  default.DQ,  default.XQ",
            "a.b,          a.b,      a.b.DQ,      a.b.XQ",
            "a.DQ.DQ,      a.DQ,     a.DQ.DQ,     a.DQ.XQ",
            "x.dq,         x.dq,     x.dq.DQ,     x.dq.XQ",
            ".DQ,          '',       .DQ,         .XQ",
    })
    void dramatiqQueueNameHelpers(String name, String q, String dq, String xq) {
        assertThat(QueueNames.qName(name)).isEqualTo(q);
        assertThat(QueueNames.canonicalQueueName(name)).isEqualTo(q);
        assertThat(QueueNames.dqName(name)).isEqualTo(dq);
        assertThat(QueueNames.xqName(name)).isEqualTo(xq);
    }

    @Test
    void dramatiqHelpersRefuseNull() {
        assertThatThrownBy(() -> QueueNames.canonicalQueueName(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("queueName must not be null");
        assertThatThrownBy(() -> QueueNames.dqName(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> QueueNames.xqName(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aPythonDelayedMessagesQueueMapsThroughItsCanonicalName() {
        assertThat(QueueNames.pgmqName("app", QueueNames.canonicalQueueName("default.DQ"))).isEqualTo("app_default");
        assertThat(QueueNames.deadLetterName("app", QueueNames.canonicalQueueName("default.XQ")))
                .isEqualTo("app_default_xq");
    }
}
