package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supaqueue.admin.BrowseRequest.Order;
import dev.supaqueue.message.Message;
import dev.supaqueue.message.MessageCodec;
import dev.supaqueue.pgmq.PgmqClient;
import dev.supaqueue.pgmq.PgmqException;
import dev.supaqueue.pgmq.PgmqFeature;
import dev.supaqueue.testing.PgmqIntegrationTest;
import dev.supaqueue.testing.TestDatabaseServer;
import dev.supaqueue.testing.TestQueues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.assertj.core.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Browsing queues, dead letters and archives with plain SELECTs against a real database. */
@PgmqIntegrationTest
class MessageBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MessageCodec CODEC = new MessageCodec();

    private static MessageBrowser browser(TestDatabaseServer db) {
        return browser(db, AdminOptions.defaults());
    }

    private static MessageBrowser browser(TestDatabaseServer db, AdminOptions options) {
        return new MessageBrowser(db.dataSource(), new QueueTables(), options);
    }

    private static String dramatiq(String queue, String actor, Map<String, ?> kwargs) {
        return CODEC.encode(Message.create(queue, actor, List.of(), kwargs, Map.of()));
    }

    // ------------------------------------------------------------------------------------------ looking is harmless

    @Test
    void browsingChangesNoRow(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("browse_harmless");
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        pgmq.sendBatch(queue, List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"));
        pgmq.read(queue, 300, 2);
        pgmq.send(queue, "{\"n\":4}", Duration.ofSeconds(300));
        pgmq.sendBatch(queue, IntStream.range(0, 20).mapToObj(i -> dramatiq(queue, "job", Map.of("i", i))).toList());
        List<Long> archived = pgmq.sendBatch(queue, List.of("{\"old\":1}", "{\"old\":2}"));
        pgmq.archive(queue, archived);

        List<List<String>> liveBefore;
        List<List<String>> archiveBefore;
        try (Connection connection = db.connect()) {
            liveBefore = table(connection, queue, "q");
            archiveBefore = table(connection, queue, "a");
        }

        MessageBrowser browser = browser(db);
        for (Order order : Order.values()) {
            BrowseRequest request = BrowseRequest.firstPage(MessageSource.queue(queue)).withOrder(order).withLimit(4);
            MessagePage page;
            do {
                page = browser.browse(request);
                for (BrowsedMessage message : page.messages()) {
                    browser.message(message.source(), message.msgId());
                }
                request = page.next().orElse(null);
            } while (request != null);
            while (page.previous().isPresent()) {
                page = browser.browse(page.previous().get());
            }
        }
        for (MessageState state : List.of(MessageState.READY, MessageState.IN_FLIGHT, MessageState.DELAYED)) {
            browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue))
                    .withFilter(MessageFilter.all().withStates(state)));
        }
        browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue))
                .withFilter(MessageFilter.all().withActorName("job").withPayloadContaining("{\"kwargs\":{\"i\":3}}")));
        browser.browse(BrowseRequest.firstPage(MessageSource.archive(queue)));
        browser.message(MessageSource.archive(queue), archived.get(0));

        try (Connection connection = db.connect()) {
            assertThat(table(connection, queue, "q")).isEqualTo(liveBefore);
            assertThat(table(connection, queue, "a")).isEqualTo(archiveBefore);
        }
    }

    // ------------------------------------------------------------------------------------------------- pagination

    @Test
    void keysetPagingVisitsEveryMessageExactlyOnceDespiteEqualEnqueueTimes(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("browse_keyset");
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        List<Long> ids = pgmq.sendBatch(queue, IntStream.range(0, 230).mapToObj(i -> "{\"i\":" + i + "}").toList());
        try (Connection connection = db.connect()) {
            assertThat(distinctEnqueueTimes(connection, queue)).as("send_batch stamps one enqueued_at").isEqualTo(1);
        }
        MessageBrowser browser = browser(db);

        for (Order order : Order.values()) {
            List<Long> expected = new ArrayList<>(ids);
            if (order == Order.NEWEST_FIRST) {
                expected = expected.reversed();
            }
            BrowseRequest first = BrowseRequest.firstPage(MessageSource.queue(queue)).withOrder(order).withLimit(50);

            List<MessagePage> forward = new ArrayList<>();
            Optional<BrowseRequest> request = Optional.of(first);
            while (request.isPresent()) {
                MessagePage page = browser.browse(request.get());
                forward.add(page);
                request = page.next();
            }
            assertThat(forward).extracting(page -> page.messages().size()).containsExactly(50, 50, 50, 50, 30);
            assertThat(forward).extracting(MessagePage::hasPrevious).containsExactly(false, true, true, true, true);
            assertThat(forward).extracting(MessagePage::hasNext).containsExactly(true, true, true, true, false);
            List<Long> seenForward = forward.stream().flatMap(page -> page.messages().stream())
                    .map(BrowsedMessage::msgId).toList();
            assertThat(seenForward).as(order + " forward").isEqualTo(expected);

            List<Long> seenBackward = new ArrayList<>();
            MessagePage page = forward.get(forward.size() - 1);
            int pages = 1;
            seenBackward.addAll(0, ids(page));
            while (page.previous().isPresent()) {
                page = browser.browse(page.previous().get());
                seenBackward.addAll(0, ids(page));
                assertThat(page.hasNext()).isTrue();
                pages++;
            }
            assertThat(pages).isEqualTo(5);
            assertThat(seenBackward).as(order + " backward").isEqualTo(expected);
            assertThat(page.request().before()).isNotNull();
            assertThat(ids(page)).isEqualTo(ids(forward.get(0)));
            assertThat(new HashSet<>(seenBackward)).hasSize(230);
        }
    }

    @Test
    void pagingSkipsMessagesTheFilterExcludesOnBothSidesOfTheCursor(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("browse_filter_pages");
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        List<Long> others = pgmq.sendBatch(queue, IntStream.range(0, 5).mapToObj(i -> dramatiq(queue, "other",
                Map.of("i", i))).toList());
        List<Long> mine = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            mine.add(pgmq.send(queue, dramatiq(queue, "mine", Map.of("i", i))));
            pgmq.send(queue, dramatiq(queue, "other", Map.of("i", i)));
        }
        MessageBrowser browser = browser(db);
        BrowseRequest first = BrowseRequest.firstPage(MessageSource.queue(queue))
                .withFilter(MessageFilter.all().withActorName("mine")).withLimit(5);

        List<Long> seen = new ArrayList<>();
        Optional<BrowseRequest> request = Optional.of(first);
        while (request.isPresent()) {
            MessagePage page = browser.browse(request.get());
            assertThat(page.messages()).allSatisfy(message -> assertThat(message.actorName()).isEqualTo("mine"));
            seen.addAll(ids(page));
            request = page.next();
        }
        assertThat(seen).isEqualTo(mine);

        // Only excluded messages lie before this cursor: there is no previous page.
        MessagePage fromTheOthers = browser.browse(first.withAfter(others.get(4)));
        assertThat(ids(fromTheOthers)).isEqualTo(mine.subList(0, 5));
        assertThat(fromTheOthers.hasPrevious()).isFalse();

        // Only excluded messages follow this cursor: there is no next page.
        long lastId = pgmq.send(queue, dramatiq(queue, "other", Map.of()));
        MessagePage backFromTheEnd = browser.browse(first.withBefore(lastId));
        assertThat(ids(backFromTheEnd)).isEqualTo(mine.subList(7, 12));
        assertThat(backFromTheEnd.hasNext()).isFalse();
        assertThat(backFromTheEnd.hasPrevious()).isTrue();
    }

    @Test
    void anEmptyPageBehindTheLastMessageLeadsBackToIt(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("browse_empty_page");
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        List<Long> ids = pgmq.sendBatch(queue, List.of("1", "2", "3"));
        MessageBrowser browser = browser(db);

        MessagePage empty = browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue)).withLimit(2)
                .withAfter(ids.get(2)));
        assertThat(empty.messages()).isEmpty();
        assertThat(empty.serverTime()).isNotNull();
        assertThat(empty.hasNext()).isFalse();
        assertThat(empty.hasPrevious()).isTrue();
        assertThat(ids(browser.browse(empty.previous().orElseThrow()))).isEqualTo(ids.subList(1, 3));

        MessagePage nothingBefore = browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue))
                .withOrder(Order.NEWEST_FIRST).withBefore(ids.get(2)));
        assertThat(nothingBefore.messages()).isEmpty();
        assertThat(nothingBefore.hasPrevious()).isFalse();
        assertThat(nothingBefore.hasNext()).isTrue();
        assertThat(ids(browser.browse(nothingBefore.next().orElseThrow()))).isEqualTo(ids.reversed());
    }

    @Test
    void anEmptyQueueGivesAnEmptyFirstPage(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("browse_empty");
        MessagePage page = browser(db).browse(BrowseRequest.firstPage(MessageSource.queue(queue)));
        assertThat(page.messages()).isEmpty();
        assertThat(page.hasNext()).isFalse();
        assertThat(page.hasPrevious()).isFalse();
        assertThat(page.next()).isEmpty();
        assertThat(page.previous()).isEmpty();
    }

    @Test
    void aPageFollowsTheCursorEvenWhenTheCursorRowIsGone(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("browse_gone_cursor");
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        List<Long> ids = pgmq.sendBatch(queue, IntStream.range(0, 9).mapToObj(Integer::toString).toList());
        MessageBrowser browser = browser(db);
        MessagePage first = browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue)).withLimit(3));

        pgmq.delete(queue, List.of(ids.get(2), ids.get(3)));
        MessagePage second = browser.browse(first.next().orElseThrow());
        assertThat(ids(second)).isEqualTo(ids.subList(4, 7));
        assertThat(second.hasPrevious()).isTrue();
        assertThat(ids(browser.browse(second.previous().orElseThrow()))).isEqualTo(ids.subList(0, 2));
    }

    // ---------------------------------------------------------------------------------------------------- filters

    @Test
    void statesAreJudgedOnTheServerClockAndFilterable(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("browse_states");
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        List<Long> inFlight = pgmq.sendBatch(queue, List.of("{\"s\":\"f1\"}", "{\"s\":\"f2\"}"));
        assertThat(pgmq.read(queue, 300, 2)).hasSize(2);
        List<Long> ready = pgmq.sendBatch(queue, List.of("{\"s\":\"r1\"}", "{\"s\":\"r2\"}", "{\"s\":\"r3\"}"));
        long delayed = pgmq.send(queue, "{\"s\":\"d\"}", Duration.ofSeconds(300));
        MessageBrowser browser = browser(db);
        BrowseRequest all = BrowseRequest.firstPage(MessageSource.queue(queue));

        MessagePage page = browser.browse(all);
        assertThat(page.messages()).extracting(BrowsedMessage::state).containsExactly(MessageState.IN_FLIGHT,
                MessageState.IN_FLIGHT, MessageState.READY, MessageState.READY, MessageState.READY,
                MessageState.DELAYED);

        assertThat(ids(browser.browse(all.withFilter(MessageFilter.all().withStates(MessageState.READY)))))
                .isEqualTo(ready);
        assertThat(ids(browser.browse(all.withFilter(MessageFilter.all().withStates(MessageState.IN_FLIGHT)))))
                .isEqualTo(inFlight);
        assertThat(ids(browser.browse(all.withFilter(MessageFilter.all().withStates(MessageState.DELAYED)))))
                .containsExactly(delayed);
        assertThat(ids(browser.browse(all.withFilter(MessageFilter.all()
                .withStates(MessageState.DELAYED, MessageState.IN_FLIGHT)))))
                .containsExactly(inFlight.get(0), inFlight.get(1), delayed);

        BrowsedMessage flying = page.messages().get(0);
        assertThat(flying.readCt()).isEqualTo(1);
        assertThat(flying.visibleIn(page.serverTime()).orElseThrow().toMillis()).isCloseTo(300_000L, within(3_000L));
        BrowsedMessage waiting = page.messages().get(5);
        assertThat(waiting.readCt()).isZero();
        assertThat(waiting.visibleIn(page.serverTime()).orElseThrow().toMillis()).isCloseTo(300_000L, within(3_000L));
        assertThat(page.messages().get(2).visibleIn(page.serverTime())).isEmpty();
        assertThat(page.messages()).allSatisfy(message -> {
            assertThat(message.archivedAt()).isNull();
            assertThat(message.source()).isEqualTo(MessageSource.queue(queue));
        });
    }

    @Test
    void filtersByActorMessageIdMsgIdAndJsonContainment(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("browse_filters");
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        Message welcome = Message.create(queue, "send_email", List.of("a@example.com"), Map.of("user_id", 7),
                Map.of());
        Message other = Message.create(queue, "send_email", List.of("b@example.com"), Map.of("user_id", 8),
                Map.of());
        long welcomeId = pgmq.send(queue, CODEC.encode(welcome));
        long otherId = pgmq.send(queue, CODEC.encode(other));
        long resizeId = pgmq.send(queue, dramatiq(queue, "resize_image", Map.of("user_id", 7, "size", 64)));
        pgmq.send(queue, "{\"kwargs\":{\"user_id\":7}}");
        MessageBrowser browser = browser(db);
        BrowseRequest all = BrowseRequest.firstPage(MessageSource.queue(queue));

        assertThat(ids(browser.browse(all.withFilter(MessageFilter.all().withActorName("send_email")))))
                .containsExactly(welcomeId, otherId);
        assertThat(ids(browser.browse(all.withFilter(MessageFilter.all().withMessageId(welcome.messageId())))))
                .containsExactly(welcomeId);
        assertThat(ids(browser.browse(all.withFilter(MessageFilter.all().withMsgId(resizeId)))))
                .containsExactly(resizeId);
        assertThat(browser.browse(all.withFilter(MessageFilter.all().withMsgId(resizeId + 1000))).messages())
                .isEmpty();
        MessagePage user7 = browser.browse(all.withFilter(MessageFilter.all()
                .withPayloadContaining("{\"kwargs\":{\"user_id\":7}}")));
        assertThat(user7.messages()).hasSize(3);
        assertThat(ids(browser.browse(all.withFilter(MessageFilter.all().withActorName("send_email")
                .withPayloadContaining("{\"kwargs\":{\"user_id\":7}}"))))).containsExactly(welcomeId);
        assertThat(browser.browse(all.withFilter(MessageFilter.all().withActorName("nobody"))).messages()).isEmpty();
    }

    // ------------------------------------------------------------------------------------- archive and dead letters

    @Test
    void theArchiveShowsArchivedMessagesWithTheirArchiveTime(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("browse_archive");
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        List<Long> ids = pgmq.sendBatch(queue, IntStream.range(0, 5)
                .mapToObj(i -> dramatiq(queue, "job", Map.of("i", i))).toList());
        pgmq.read(queue, 60, 1);
        Instant before = serverClock(db);
        assertThat(pgmq.archive(queue, List.of(ids.get(0), ids.get(3)))).hasSize(2);
        Instant after = serverClock(db);
        MessageBrowser browser = browser(db);

        MessagePage archive = browser.browse(BrowseRequest.firstPage(MessageSource.archive(queue)));
        assertThat(ids(archive)).containsExactly(ids.get(0), ids.get(3));
        assertThat(archive.messages()).allSatisfy(message -> {
            assertThat(message.state()).isEqualTo(MessageState.ARCHIVED);
            assertThat(message.isArchived()).isTrue();
            assertThat(message.archivedAt()).isBetween(before, after);
            assertThat(message.source()).isEqualTo(MessageSource.archive(queue));
            assertThat(message.visibleIn(archive.serverTime())).isEmpty();
            assertThat(message.actorName()).isEqualTo("job");
            assertThat(message.dramatiq()).isNotNull();
        });
        assertThat(archive.messages().get(0).readCt()).isEqualTo(1);
        assertThat(ids(browser.browse(BrowseRequest.firstPage(MessageSource.archive(queue))
                .withFilter(MessageFilter.all().withStates(MessageState.ARCHIVED).withPayloadContaining(
                        "{\"kwargs\":{\"i\":3}}"))))).containsExactly(ids.get(3));
        assertThat(ids(browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue)))))
                .containsExactly(ids.get(1), ids.get(2), ids.get(4));

        BrowsedMessage one = browser.message(MessageSource.archive(queue), ids.get(3)).orElseThrow();
        assertThat(one.state()).isEqualTo(MessageState.ARCHIVED);
        assertThat(one.archivedAt()).isBetween(before, after);
        assertThat(browser.message(MessageSource.queue(queue), ids.get(3))).isEmpty();
    }

    @Test
    void deadLettersAreTheirOwnQueue(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("browse_dlq");
        String deadLetters = queue + "_xq";
        try (Connection connection = db.connect();
             PreparedStatement create = connection.prepareStatement("SELECT pgmq.create(?::text)")) {
            create.setString(1, deadLetters);
            create.execute();
        }
        queues.track(deadLetters);
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        pgmq.send(queue, dramatiq(queue, "alive", Map.of()));
        long dead = pgmq.send(deadLetters, dramatiq(queue, "failed_job", Map.of("attempt", 3)));

        MessageSource source = MessageSource.deadLetters(queue);
        MessagePage page = browser(db).browse(BrowseRequest.firstPage(source));
        assertThat(ids(page)).containsExactly(dead);
        BrowsedMessage message = page.messages().get(0);
        assertThat(message.source().queue()).isEqualTo(deadLetters);
        assertThat(message.source().isDeadLetterQueue()).isTrue();
        assertThat(message.source().originQueue()).isEqualTo(queue);
        assertThat(message.actorName()).isEqualTo("failed_job");
        assertThat(message.dramatiq().queueName()).isEqualTo(queue);
    }

    // --------------------------------------------------------------------------------------------------- payloads

    @Test
    void dramatiqPayloadsAreDecoded(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("browse_decode");
        Message sent = Message.create(queue, "send_email", List.of("a@example.com", 3),
                Map.of("user_id", 7, "tags", List.of("x", "y")), Map.of("retries", 2));
        long id = new PgmqClient(db.dataSource()).send(queue, CODEC.encode(sent));

        BrowsedMessage browsed = browser(db).browse(BrowseRequest.firstPage(MessageSource.queue(queue)))
                .messages().get(0);
        assertThat(browsed.msgId()).isEqualTo(id);
        assertThat(browsed.dramatiq()).isEqualTo(sent);
        assertThat(browsed.dramatiqMessage()).contains(sent);
        assertThat(browsed.decodeProblem()).isNull();
        assertThat(browsed.actorName()).isEqualTo("send_email");
        assertThat(browsed.messageId()).isEqualTo(sent.messageId());
        assertThat(browsed.payloadTruncated()).isFalse();
        assertThat(browsed.payloadLength()).isEqualTo(browsed.payload().length());
        assertThat(JSON.readTree(browsed.payload())).isEqualTo(JSON.readTree(CODEC.encode(sent)));
        assertThat(browsed.readCt()).isZero();
        assertThat(browsed.lastReadAt()).isNull();
    }

    @Test
    void rawJsonPayloadsComeBackAsStoredWithTheReasonTheyAreNotDramatiq(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("browse_raw");
        List<String> payloads = List.of("[1,2]", "\"text\"", "{\"a\":1}", "42", "true", "null",
                "{\"actor_name\":\"half\",\"message_id\":\"m-1\"}");
        List<Long> ids = new PgmqClient(db.dataSource()).sendBatch(queue, payloads);

        MessagePage page = browser(db).browse(BrowseRequest.firstPage(MessageSource.queue(queue)));
        assertThat(ids(page)).isEqualTo(ids);
        try (Connection connection = db.connect()) {
            for (int i = 0; i < payloads.size(); i++) {
                BrowsedMessage message = page.messages().get(i);
                assertThat(message.payload()).as(payloads.get(i)).isEqualTo(asJsonb(connection, payloads.get(i)));
                assertThat(JSON.readTree(message.payload())).isEqualTo(JSON.readTree(payloads.get(i)));
                assertThat(message.dramatiq()).isNull();
                assertThat(message.decodeProblem()).startsWith("not a Dramatiq message: ");
            }
        }
        assertThat(page.messages().get(0).decodeProblem()).contains("JSON object");
        assertThat(page.messages().subList(0, 6)).allSatisfy(message -> {
            assertThat(message.actorName()).isNull();
            assertThat(message.messageId()).isNull();
        });
        BrowsedMessage half = page.messages().get(6);
        assertThat(half.actorName()).isEqualTo("half");
        assertThat(half.messageId()).isEqualTo("m-1");
        assertThat(half.decodeProblem()).contains("missing required key");
    }

    @Test
    void aNullPayloadIsShownAsNone(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("browse_null_payload");
        try (Connection connection = db.connect()) {
            execute(connection, "INSERT INTO " + tableName(connection, queue, "q") + " (vt, message)"
                    + " VALUES (now(), NULL)");
        }
        MessageBrowser browser = browser(db);
        BrowsedMessage onPage = browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue))).messages().get(0);
        BrowsedMessage alone = browser.message(MessageSource.queue(queue), onPage.msgId()).orElseThrow();
        for (BrowsedMessage message : List.of(onPage, alone)) {
            assertThat(message.payload()).isNull();
            assertThat(message.payloadLength()).isZero();
            assertThat(message.payloadTruncated()).isFalse();
            assertThat(message.actorName()).isNull();
            assertThat(message.dramatiq()).isNull();
            assertThat(message.decodeProblem()).contains("NULL");
        }
    }

    @Test
    void hostilePayloadsAreStoredAndShownVerbatimAndChangeNothing(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("browse_hostile");
        String deep = "[".repeat(500) + "\"bottom\"" + "]".repeat(500);
        List<String> payloads = List.of(
                JSON.writeValueAsString("'; DROP TABLE pgmq.meta; --"),
                JSON.writeValueAsString("<script>alert(1)</script>"),
                JSON.writeValueAsString("Grüße 你好 🎉 \u202e\u200b ǅ"),
                "{\"actor_name\":\"x'); DELETE FROM pgmq.meta; --\",\"q\":\"\\\"; SELECT 1\"}",
                deep);
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        List<Long> ids = pgmq.sendBatch(queue, payloads);
        MessageBrowser browser = browser(db);

        MessagePage page = browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue)));
        assertThat(ids(page)).isEqualTo(ids);
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(JSON.readTree(page.messages().get(i).payload())).isEqualTo(JSON.readTree(payloads.get(i)));
        }
        assertThat(page.messages().get(4).payloadLength()).isEqualTo(page.messages().get(4).payload().length());
        assertThat(page.messages().get(4).decodeProblem()).isNotNull();
        assertThat(page.messages().get(3).actorName()).isEqualTo("x'); DELETE FROM pgmq.meta; --");

        // Hostile text in filters is a value, never SQL.
        assertThat(ids(browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue)).withFilter(
                MessageFilter.all().withActorName("x'); DELETE FROM pgmq.meta; --"))))).containsExactly(ids.get(3));
        assertThat(ids(browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue)).withFilter(
                MessageFilter.all().withPayloadContaining(payloads.get(0)))))).containsExactly(ids.get(0));
        assertThat(ids(browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue)).withFilter(
                MessageFilter.all().withPayloadContaining(deep))))).containsExactly(ids.get(4));

        assertThat(isQueue(db, queue)).as("pgmq.meta is still there, with this queue").isTrue();
        assertThat(ids(browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue))))).isEqualTo(ids);
    }

    @Test
    void longPayloadsAreCutForThePageAndWholeForOneMessage(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("browse_truncate");
        Message big = Message.create(queue, "upload", List.of(), Map.of("blob", "x".repeat(10_000)), Map.of());
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        long bigId = pgmq.send(queue, CODEC.encode(big));
        long smallId = pgmq.send(queue, "{\"small\":true}");
        long emojiId = pgmq.send(queue, JSON.writeValueAsString("🎉".repeat(150)));
        MessageBrowser browser = browser(db, AdminOptions.builder().payloadPreviewChars(100).build());

        MessagePage page = browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue)));
        assertThat(ids(page)).containsExactly(bigId, smallId, emojiId);
        BrowsedMessage cut = page.messages().get(0);
        String whole;
        try (Connection connection = db.connect()) {
            whole = asJsonb(connection, CODEC.encode(big));
        }
        assertThat(cut.payloadTruncated()).isTrue();
        assertThat(cut.payload()).hasSize(100).isEqualTo(whole.substring(0, 100));
        assertThat(cut.payloadLength()).isEqualTo(whole.length()).isGreaterThan(10_000);
        assertThat(cut.actorName()).isEqualTo("upload");
        assertThat(cut.messageId()).isEqualTo(big.messageId());
        assertThat(cut.dramatiq()).isNull();
        assertThat(cut.decodeProblem()).isEqualTo("payload cut for preview; fetch the message to decode it");

        BrowsedMessage small = page.messages().get(1);
        assertThat(small.payloadTruncated()).isFalse();
        assertThat(small.payload()).isEqualTo("{\"small\": true}");

        // Characters are counted as PostgreSQL counts them: an emoji is one, though two UTF-16 units.
        BrowsedMessage emoji = page.messages().get(2);
        assertThat(emoji.payloadTruncated()).isTrue();
        assertThat(emoji.payloadLength()).isEqualTo(152);
        assertThat(emoji.payload().codePointCount(0, emoji.payload().length())).isEqualTo(100);

        BrowsedMessage full = browser.message(MessageSource.queue(queue), bigId).orElseThrow();
        assertThat(full.payload()).isEqualTo(whole);
        assertThat(full.payloadTruncated()).isFalse();
        assertThat(full.payloadLength()).isEqualTo(whole.length());
        assertThat(full.dramatiq()).isEqualTo(big);
        assertThat(full.decodeProblem()).isNull();
        assertThat(browser.message(MessageSource.queue(queue), emojiId).orElseThrow().payloadLength()).isEqualTo(152);
    }

    @Test
    void headersAreShownWhereTheTableHasThem(TestDatabaseServer db, TestQueues queues) throws Exception {
        Assumptions.assumeThat(PgmqFeature.HEADERS.supportedBy(db.pgmq())).as("pgmq >= 1.5 has headers").isTrue();
        String queue = queues.create("browse_headers");
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        long with = pgmq.send(queue, "{\"h\":1}", "{\"x-trace\":\"abc\",\"n\":[1,2]}", Duration.ZERO);
        long without = pgmq.send(queue, "{\"h\":0}");

        MessagePage page = browser(db).browse(BrowseRequest.firstPage(MessageSource.queue(queue)));
        assertThat(ids(page)).containsExactly(with, without);
        assertThat(JSON.readTree(page.messages().get(0).headers()))
                .isEqualTo(JSON.readTree("{\"x-trace\":\"abc\",\"n\":[1,2]}"));
        assertThat(page.messages().get(1).headers()).isNull();
    }

    @Test
    void lastReadAtIsShownWhereTheTableHasTheColumn(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("browse_last_read");
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        List<Long> ids = pgmq.sendBatch(queue, List.of("{\"r\":1}", "{\"r\":2}"));
        try (Connection connection = db.connect()) {
            if (!hasColumn(connection, queue, "last_read_at")) {
                // A pgmq before 1.10 has no such column: add it as pgmq 1.10's upgrade does, and stamp a read.
                execute(connection, "ALTER TABLE " + tableName(connection, queue, "q")
                        + " ADD COLUMN last_read_at timestamptz");
            }
        }
        pgmq.read(queue, 60, 1);
        try (Connection connection = db.connect()) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + tableName(connection, queue, "q")
                    + " SET last_read_at = '2026-03-04T05:06:07Z' WHERE msg_id = ?::bigint")) {
                update.setLong(1, ids.get(0));
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
        }

        MessagePage page = browser(db).browse(BrowseRequest.firstPage(MessageSource.queue(queue)));
        assertThat(page.messages().get(0).lastReadAt()).isEqualTo(Instant.parse("2026-03-04T05:06:07Z"));
        assertThat(page.messages().get(1).lastReadAt()).isNull();
    }

    // --------------------------------------------------------------------------------------------- clock and errors

    @Test
    void serverTimeIsTheDatabaseClock(TestDatabaseServer db, TestQueues queues) throws Exception {
        String queue = queues.create("browse_clock");
        new PgmqClient(db.dataSource()).send(queue, "{}");
        Instant before = serverClock(db);
        MessagePage page = browser(db).browse(BrowseRequest.firstPage(MessageSource.queue(queue)));
        Instant after = serverClock(db);
        assertThat(page.serverTime()).isBetween(before, after);
    }

    @Test
    void missingQueuesAndMessagesAreReportedAsSuch(TestDatabaseServer db, TestQueues queues) throws Exception {
        String missing = queues.newName("browse_missing");
        MessageBrowser browser = browser(db);
        assertThatThrownBy(() -> browser.browse(BrowseRequest.firstPage(MessageSource.queue(missing))))
                .isInstanceOf(UnknownQueueException.class).hasMessageContaining(missing);
        assertThatThrownBy(() -> browser.message(MessageSource.archive(missing), 1))
                .isInstanceOf(UnknownQueueException.class).hasMessageContaining(missing);

        String queue = queues.create("browse_no_such_id");
        assertThat(browser.message(MessageSource.queue(queue), 123_456)).isEmpty();
        assertThatThrownBy(() -> browser.message(MessageSource.queue(queue), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    }

    @Test
    void aQueueDroppedAfterItWasLookedUpIsReportedAsUnknown(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("browse_dropped");
        MessageBrowser browser = browser(db);
        browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue)));
        new PgmqClient(db.dataSource()).dropQueue(queue);

        assertThatThrownBy(() -> browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue))))
                .isInstanceOf(UnknownQueueException.class).hasMessageContaining(queue);
    }

    @Test
    void invalidQueueNamesAreRefusedBeforeAnySql() {
        for (String bad : List.of("x'; DROP TABLE pgmq.meta; --", "a;b", "$x", "a--b", "q".repeat(48))) {
            assertThatThrownBy(() -> MessageSource.queue(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pgmq queue name");
            assertThatThrownBy(() -> MessageSource.archive(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> MessageSource.deadLetters(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> MessageSource.queue("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void queuesWithUnusualNamesAreBrowsedThroughServerQuotedTables(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.track(queues.newName("odd").replaceFirst("^t_", "T_") + "-X.y \"z\"");
        try (Connection connection = db.connect();
             PreparedStatement create = connection.prepareStatement("SELECT pgmq.create(?::text)")) {
            create.setString(1, queue);
            create.execute();
        }
        PgmqClient pgmq = new PgmqClient(db.dataSource());
        long id = pgmq.send(queue, "{\"odd\":true}");
        pgmq.archive(queue, pgmq.send(queue, "{\"odd\":false}"));
        MessageBrowser browser = browser(db);

        assertThat(ids(browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue))))).containsExactly(id);
        assertThat(browser.browse(BrowseRequest.firstPage(MessageSource.archive(queue))).messages()).hasSize(1);
        assertThat(browser.message(MessageSource.queue(queue), id)).isPresent();
    }

    @Test
    void aStatementThatOutlivesTheQueryTimeoutIsCancelled(TestDatabaseServer db, TestQueues queues)
            throws Exception {
        String queue = queues.create("browse_timeout");
        new PgmqClient(db.dataSource()).send(queue, "{}");
        MessageBrowser browser = browser(db, AdminOptions.builder().queryTimeout(Duration.ofSeconds(1)).build());
        browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue)));

        try (Connection locker = db.connect()) {
            locker.setAutoCommit(false);
            execute(locker, "LOCK TABLE " + tableName(locker, queue, "q") + " IN ACCESS EXCLUSIVE MODE");
            long started = System.nanoTime();
            assertThatThrownBy(() -> browser.browse(BrowseRequest.firstPage(MessageSource.queue(queue))))
                    .isInstanceOf(PgmqException.class)
                    .hasMessageContaining("query timeout")
                    .satisfies(e -> assertThat(((PgmqException) e).sqlState()).isEqualTo("57014"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            locker.rollback();
        }
    }

    // ---------------------------------------------------------------------------------------------------- helpers

    private static List<Long> ids(MessagePage page) {
        return page.messages().stream().map(BrowsedMessage::msgId).toList();
    }

    /** Every column of every row of a queue's table ("q" or "a"), read with a plain SELECT. */
    private static List<List<String>> table(Connection connection, String queue, String prefix) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT * FROM " + tableName(connection, queue, prefix) + " ORDER BY msg_id");
             ResultSet result = statement.executeQuery()) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    row.add(meta.getColumnName(column) + "=" + result.getString(column));
                }
                rows.add(row);
            }
        }
        assertThat(rows).isNotEmpty();
        return rows;
    }

    /** The table's name as the server quotes it (test queue names are never pasted into SQL as they are). */
    private static String tableName(Connection connection, String queue, String prefix) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT format('pgmq.%I', ?::text || '_' || lower(?::text))")) {
            statement.setString(1, prefix);
            statement.setString(2, queue);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }

    private static boolean hasColumn(Connection connection, String queue, String column) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_attribute"
                + " WHERE attrelid = to_regclass(?::text) AND attname = ?::text AND NOT attisdropped")) {
            statement.setString(1, tableName(connection, queue, "q"));
            statement.setString(2, column);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1) == 1;
            }
        }
    }

    private static long distinctEnqueueTimes(Connection connection, String queue) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(DISTINCT enqueued_at) FROM " + tableName(connection, queue, "q"));
             ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    /** The text PostgreSQL renders for a JSON document stored as jsonb. */
    private static String asJsonb(Connection connection, String json) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("SELECT ?::jsonb::text")) {
            statement.setString(1, json);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }

    private static Instant serverClock(TestDatabaseServer db) throws Exception {
        try (Connection connection = db.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT clock_timestamp()");
             ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    private static boolean isQueue(TestDatabaseServer db, String queue) throws Exception {
        try (Connection connection = db.connect();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT count(*) FROM pgmq.meta WHERE queue_name = ?::text")) {
            statement.setString(1, queue);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1) == 1;
            }
        }
    }

    private static void execute(Connection connection, String sql) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.execute();
        }
    }
}
