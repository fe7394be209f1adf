package dev.supaqueue.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.supaqueue.admin.QueueAdmin;
import dev.supaqueue.admin.QueueType;
import dev.supaqueue.broker.QueueNames;
import dev.supaqueue.broker.SupabaseBroker;
import dev.supaqueue.broker.SupabaseBrokerSettings;
import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.pgmq.PgmqMessage;
import dev.supaqueue.pgmq.PgmqQueueName;
import dev.supaqueue.pgmq.QueueInfo;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hundreds of hostile names (every character class, SQL fragments, NUL, emoji, the longest allowed and one more)
 * through every door that takes a queue name or a namespace: each is refused with an IllegalArgumentException that
 * names the problem, or created and listed exactly as given, in queues of its own. Afterwards a canary table is
 * still there and pgmq's schema holds only the tables of the queues pgmq.meta lists.
 *
 * <p>The names are drawn from a seeded generator: {@code -Dreliability.seed=N} repeats a run (the seed is logged).
 */
@PgmqIntegrationTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileNamesIT {

    private static final Logger log = LoggerFactory.getLogger(HostileNamesIT.class);
    private static final Pattern SUPAQUEUE_QUEUE = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern SUPAQUEUE_NAMESPACE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final int RANDOM_NAMES = 300;

    @Test
    void everyHostileNameIsRefusedClearlyOrCreatedVerbatimAndNothingIsExecuted(TestDatabaseServer db,
                                                                              TestQueues queues) throws Exception {
        long seed = Long.getLong("reliability.seed", System.nanoTime());
        List<String> names = names(new Random(seed));
        String canary = "supaqueue_canary_" + Long.toUnsignedString(seed % 1_000_000);
        Set<String> tablesBefore;
        Set<String> metaBefore;
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS public." + canary + " (note text)");
            statement.execute("INSERT INTO public." + canary + " VALUES ('still here')");
            tablesBefore = pgmqRelations(connection);
            metaBefore = meta(connection);
        }
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        try (Brokers t = new Brokers(db, queues)) {
            SupabaseBroker broker = t.broker();
            PgmqClient client = broker.client();
            QueueAdmin admin = t.admin(broker);
            List<String> createdRaw = new ArrayList<>();
            for (String name : names) {
                checkQueueNames(name, outcomes);
                checkBrokerDeclaration(broker, name, outcomes);
                checkAdminCreate(admin, name, outcomes);
                checkNamespace(t, name, outcomes);
                if (checkClientCreate(client, name, outcomes)) {
                    createdRaw.add("hr_" + name);
                }
            }
            // Every queue made through the raw client has tables of its own: a marker sent to one is in no other.
            Map<String, Long> markers = new LinkedHashMap<>();
            for (String name : createdRaw) {
                markers.put(name, client.send(name, "{\"marker\":" + com.fasterxml.jackson.core.io.JsonStringEncoder
                        .getInstance().quoteAsString(name).length + "}"));
            }
            for (String name : createdRaw) {
                // pgmq folds table names to lowercase, so "Jobs" and "JOBS" share tables by pgmq's design (the
                // admin refuses such new names); no other two queues may.
                long sharing = createdRaw.stream().filter(other -> other.toLowerCase(Locale.ROOT)
                        .equals(name.toLowerCase(Locale.ROOT))).count();
                List<PgmqMessage> rows = client.read(name, 0, 100);
                assertThat(rows).as("queue %s sees only its own marker (and those of its case variants)",
                        show(name)).hasSize((int) sharing);
            }
            List<String> listed = client.listQueues().stream().map(QueueInfo::name).toList();
            assertThat(listed).containsAll(createdRaw);
            for (String name : createdRaw) {
                client.dropQueue(name);
            }
        }
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            try (ResultSet row = statement.executeQuery("SELECT note FROM public." + canary)) {
                assertThat(row.next()).as("canary row").isTrue();
                assertThat(row.getString(1)).isEqualTo("still here");
            }
            statement.execute("DROP TABLE public." + canary);
            Set<String> added = new LinkedHashSet<>(pgmqRelations(connection));
            added.removeAll(tablesBefore);
            Set<String> expected = new HashSet<>();
            for (String queue : meta(connection)) {
                for (String prefix : List.of("q_", "a_")) {
                    String table = (prefix + queue).toLowerCase(Locale.ROOT);
                    expected.addAll(List.of(table, table + "_pkey", table + "_vt_idx", table + "_msg_id_seq",
                            "archived_at_idx_" + queue));
                }
            }
            assertThat(added).as("pgmq relations added besides those of listed queues (other tests' queues"
                    + " included)").isSubsetOf(expected);
            assertThat(meta(connection)).as("meta rows left").containsAll(metaBefore);
        }
        log.info("hostile names: seed {}, {} names; outcomes {}", seed, names.size(), outcomes);
    }

    // ------------------------------------------------------------------ the doors

    private static void checkQueueNames(String name, Map<String, Integer> outcomes) {
        boolean valid = validSupaqueueQueue("", name);
        Throwable failure = catchThrowable(() -> QueueNames.validateQueueName(name));
        expectOutcome("QueueNames.validateQueueName", name, valid, failure, outcomes);
    }

    private static void checkBrokerDeclaration(SupabaseBroker broker, String name, Map<String, Integer> outcomes) {
        boolean valid = validSupaqueueQueue(broker.settings().namespace(), name);
        Throwable failure = catchThrowable(() -> broker.declareQueue(name));
        expectOutcome("SupabaseBroker.declareQueue", name, valid, failure, outcomes);
        if (valid) {
            List<String> listed = broker.client().listQueues().stream().map(QueueInfo::name).toList();
            assertThat(listed).contains(broker.pgmqQueue(name), broker.deadLetterQueue(name));
        }
    }

    private static void checkAdminCreate(QueueAdmin admin, String name, Map<String, Integer> outcomes) {
        // New queues through the admin follow pgmq's rules and must be lowercase (no shared, case-folded tables).
        String prefixed = "hq_" + name;
        boolean valid = PgmqQueueName.isValid(prefixed) && Pattern.matches("[a-z0-9_]+", prefixed);
        Throwable failure = catchThrowable(() -> admin.createQueue(prefixed, QueueType.LOGGED));
        expectOutcome("QueueAdmin.createQueue", prefixed, valid, failure, outcomes);
        if (valid) {
            assertThat(admin.queues().find(prefixed)).as("admin lists %s", prefixed).isPresent();
            assertThat(admin.dropQueue(prefixed)).isTrue();
        }
    }

    private static void checkNamespace(Brokers t, String name, Map<String, Integer> outcomes) {
        boolean valid = name != null && (name.isEmpty() || SUPAQUEUE_NAMESPACE.matcher(name).matches()
                && name.length() <= QueueNames.MAX_NAMESPACE_LENGTH);
        Throwable failure = catchThrowable(() -> t.settings().namespace(name).build());
        expectOutcome("SupabaseBrokerSettings.namespace", name, valid, failure, outcomes);
        if (valid && !name.isEmpty()) {
            // Only the names themselves: nothing is created for a valid namespace, its queue names are checked.
            assertThat(QueueNames.pgmqName(name, "q")).isEqualTo(name + "_q");
        }
    }

    /** pgmq's own rules through the raw client; returns whether the queue was created. */
    private static boolean checkClientCreate(PgmqClient client, String name, Map<String, Integer> outcomes) {
        String prefixed = "hr_" + name;
        // pgmq's rules, and at most 47 bytes so that PostgreSQL never cuts (and so shares) the queue's table names.
        boolean valid = PgmqQueueName.isValid(prefixed)
                && prefixed.getBytes(StandardCharsets.UTF_8).length <= PgmqQueueName.MAX_LENGTH;
        Throwable failure = catchThrowable(() -> client.createQueue(prefixed));
        if (!valid) {
            expectOutcome("PgmqClient.createQueue", prefixed, false, failure, outcomes);
            return false;
        }
        if (failure != null) {
            // The server may still refuse what the client lets through: that must say why, too.
            count(outcomes, "PgmqClient.createQueue refused by the server");
            assertThat(failure.getMessage()).as("server refusal of %s", show(prefixed)).isNotBlank();
            return false;
        }
        count(outcomes, "PgmqClient.createQueue created");
        List<String> listed = client.listQueues().stream().map(QueueInfo::name).toList();
        assertThat(listed).as("listed verbatim: %s", show(prefixed)).contains(prefixed);
        return true;
    }

    private static void expectOutcome(String door, String name, boolean valid, Throwable failure,
                                      Map<String, Integer> outcomes) {
        if (valid) {
            assertThat(failure).as("%s accepts %s", door, show(name)).isNull();
            count(outcomes, door + " accepted");
            return;
        }
        assertThat(failure).as("%s refuses %s", door, show(name)).isInstanceOfAny(IllegalArgumentException.class,
                NullPointerException.class);
        String message = failure.getMessage();
        assertThat(message).as("%s says why it refuses %s", door, show(name)).isNotBlank();
        if (name != null && !name.isEmpty() && failure instanceof IllegalArgumentException) {
            // Names the rule: what is allowed, what is too long, or what is reserved or forbidden.
            assertThat(message.toLowerCase(Locale.ROOT)).as("%s message for %s", door, show(name))
                    .containsAnyOf("may contain only", "must start with", "too long", "at most", "reserved",
                            "must not contain", "must not be empty", "may contain", "must be valid unicode", "bytes in utf-8");
        }
        count(outcomes, door + " refused");
    }

    private static boolean validSupaqueueQueue(String namespace, String name) {
        return name != null && SUPAQUEUE_QUEUE.matcher(name).matches() && !name.equals("xq")
                && !name.endsWith("_xq")
                && (namespace.isEmpty() ? 0 : namespace.length() + 1) + name.length() + 3
                <= QueueNames.MAX_PGMQ_NAME_LENGTH;
    }

    // ------------------------------------------------------------------ the names

    private static List<String> names(Random random) {
        Set<String> names = new LinkedHashSet<>(List.of(
                "", "a", "_", "default", "Jobs", "JOBS", "jobs2", "1abc", "_abc", "xq", "a_xq", "a.DQ", "a.XQ",
                "a-b", "a.b", "a b", " a", "a ", "\ta", "a\nb", "a\rb", "a\u0000b", "\u0000", "a\u0007b",
                "a'b", "a\"b", "a\\b", "a`b", "a$b", "$1", "$$", "a;b", ";", "a--b", "--", "a/*b*/c", "/*", "*/",
                "x'; DROP TABLE canary; --", "x\"; DROP TABLE canary; --", "Robert'); DROP TABLE students;--",
                "a%sb", "%I", "%L", "e'\\x41'", "pg_catalog", "public", "meta", "q_meta", "a\u200bb",
                "a\u202eb", "\ufeffa", "caf\u00e9", "na\u00efve", "\u65e5\u672c\u8a9e", "\u0438\u043c\u044f",
                "\u03b5\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac", "\u0639\u0631\u0628\u0649",
                "\u05e2\u05d1\u05e8\u05d9\u05ea", "\u0939\u093f\u0928\u094d\u0926\u0940", "\ud83c\udf89",
                "job\ud83d\ude80", "\ud835\udc00bc", "\ud800", "a\udc00",
                "q".repeat(44), "q".repeat(45), "q".repeat(47), "q".repeat(48), "Q".repeat(47),
                "\u00e9".repeat(47), "\u00e9".repeat(48), "\ud83d\ude00".repeat(47), "\ud83d\ude00".repeat(48),
                "\u961f\u5217".repeat(20) + "\u7532", "\u961f\u5217".repeat(20) + "\u4e59"));
        String[] classes = {
            "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", "_",
            "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~", " \t\n\r\u000b\u000c\u00a0\u2028\u3000",
            "\u0000\u0001\u001b\u007f\u0085", "\u00e4\u00f6\u00fc\u00df\u00e9\u00f8\u00e5\u0142\u0161",
            "\u0430\u0431\u0432\u0433\u0434\u03b1\u03b2\u03b3", "\u4e00\u4e8c\u4e09\u961f\u5217",
            "\u0627\u0628\u062a\u05d0\u05d1", "\u200b\u200d\u202e\ufeff"};
        String[] fragments = {"--", "/*", "*/", "';", "\";", "$$", "$1", "%I", "DROP TABLE x", "' OR '1'='1",
            "\\", "\ud83d\udc80", "\ud83c\uddfa\ud83c\udde6"};
        for (int i = 0; i < RANDOM_NAMES; i++) {
            int length = random.nextInt(5) == 0 ? 40 + random.nextInt(12) : 1 + random.nextInt(20);
            StringBuilder name = new StringBuilder();
            // Half of them lean towards the allowed alphabet, so that valid names are common too.
            boolean mostlyAllowed = random.nextBoolean();
            while (name.length() < length) {
                int pick = random.nextInt(mostlyAllowed ? 200 : 16);
                if (pick < 12) {
                    String chars = classes[pick];
                    name.append(chars.charAt(random.nextInt(chars.length())));
                } else if (pick < 16) {
                    name.append(fragments[random.nextInt(fragments.length)]);
                } else {
                    String chars = pick < 160 ? classes[0] : pick < 185 ? classes[2] : classes[3];
                    name.append(chars.charAt(random.nextInt(chars.length())));
                }
            }
            names.add(name.toString());
        }
        return List.copyOf(names);
    }

    // ------------------------------------------------------------------ helpers

    private static Set<String> pgmqRelations(Connection connection) throws Exception {
        Set<String> names = new LinkedHashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT relname FROM pg_catalog.pg_class WHERE relnamespace = 'pgmq'::regnamespace");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static Set<String> meta(Connection connection) throws Exception {
        Set<String> names = new LinkedHashSet<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT queue_name FROM pgmq.meta");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static void count(Map<String, Integer> outcomes, String key) {
        outcomes.merge(key, 1, Integer::sum);
    }

    /** A name on one line, with its UTF-8 length, for assertion messages. */
    private static String show(String name) {
        return name == null ? "null" : dev.supaqueue.message.JsonText.quote(name) + " ("
                + name.getBytes(StandardCharsets.UTF_8).length + " bytes)";
    }
}
