package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.supaqueue.admin.BrowseRequest.Order;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BrowseRequestTest {

    private static final MessageSource JOBS = MessageSource.queue("jobs");

    @Test
    void firstPageIsEverythingOldestFirstFiftyAtATime() {
        BrowseRequest request = BrowseRequest.firstPage(JOBS);
        assertThat(request.source()).isEqualTo(JOBS);
        assertThat(request.filter()).isEqualTo(MessageFilter.all());
        assertThat(request.order()).isEqualTo(Order.OLDEST_FIRST);
        assertThat(request.after()).isNull();
        assertThat(request.before()).isNull();
        assertThat(request.limit()).isEqualTo(BrowseRequest.DEFAULT_LIMIT).isEqualTo(50);
        assertThat(request.isFirstPage()).isTrue();
    }

    @Test
    void aNullFilterMeansEverything() {
        assertThat(new BrowseRequest(JOBS, null, Order.NEWEST_FIRST, null, null, 10).filter())
                .isEqualTo(MessageFilter.all());
    }

    @Test
    void sourceAndOrderAreRequired() {
        assertThatThrownBy(() -> new BrowseRequest(null, null, Order.OLDEST_FIRST, null, null, 10))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> new BrowseRequest(JOBS, null, null, null, null, 10))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("order");
    }

    @Test
    void limitMustBeOneToAThousand() {
        assertThat(BrowseRequest.firstPage(JOBS).withLimit(1).limit()).isEqualTo(1);
        assertThat(BrowseRequest.firstPage(JOBS).withLimit(1000).limit()).isEqualTo(BrowseRequest.MAX_LIMIT);
        for (int bad : new int[] {0, -1, 1001, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> BrowseRequest.firstPage(JOBS).withLimit(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("between 1 and 1000")
                    .hasMessageContaining(Integer.toString(bad));
        }
    }

    @Test
    void atMostOneCursor() {
        assertThatThrownBy(() -> new BrowseRequest(JOBS, null, Order.OLDEST_FIRST, 5L, 9L, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most one cursor")
                .hasMessageContaining("5")
                .hasMessageContaining("9");
    }

    @Test
    void cursorsAreNotNegative() {
        assertThatThrownBy(() -> BrowseRequest.firstPage(JOBS).withAfter(-1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after").hasMessageContaining("-1");
        assertThatThrownBy(() -> BrowseRequest.firstPage(JOBS).withBefore(-7L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before").hasMessageContaining("-7");
        assertThat(BrowseRequest.firstPage(JOBS).withAfter(0L).after()).isZero();
    }

    @Test
    void aFilterTheSourceCannotMatchIsRefusedAtOnce() {
        assertThatThrownBy(() -> BrowseRequest.firstPage(MessageSource.archive("jobs"))
                .withFilter(MessageFilter.all().withStates(MessageState.READY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("archive");
        assertThatThrownBy(() -> BrowseRequest.firstPage(JOBS)
                .withFilter(MessageFilter.all().withStates(MessageState.ARCHIVED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ARCHIVED");
    }

    @Test
    void invalidQueueNamesAreRefusedBeforeAnyRequestExists() {
        assertThatThrownBy(() -> BrowseRequest.firstPage(MessageSource.queue("x'; DROP TABLE pgmq.meta; --")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void changingFilterOrOrderStartsAgainOnTheFirstPage() {
        BrowseRequest onPage3 = BrowseRequest.firstPage(JOBS).withAfter(100L);
        BrowseRequest filtered = onPage3.withFilter(MessageFilter.all().withActorName("a"));
        assertThat(filtered.isFirstPage()).isTrue();
        assertThat(filtered.filter().actorName()).isEqualTo("a");

        BrowseRequest reordered = onPage3.withBefore(100L).withOrder(Order.NEWEST_FIRST);
        assertThat(reordered.isFirstPage()).isTrue();
        assertThat(reordered.order()).isEqualTo(Order.NEWEST_FIRST);
    }

    @Test
    void changingTheLimitKeepsThePosition() {
        BrowseRequest request = BrowseRequest.firstPage(JOBS).withBefore(77L).withLimit(20);
        assertThat(request.before()).isEqualTo(77L);
        assertThat(request.limit()).isEqualTo(20);
    }

    @Test
    void oneCursorReplacesTheOther() {
        BrowseRequest after = BrowseRequest.firstPage(JOBS).withBefore(5L).withAfter(8L);
        assertThat(after.after()).isEqualTo(8L);
        assertThat(after.before()).isNull();
        BrowseRequest before = after.withBefore(3L);
        assertThat(before.before()).isEqualTo(3L);
        assertThat(before.after()).isNull();
        assertThat(before.firstPage().isFirstPage()).isTrue();
        assertThat(before.firstPage().limit()).isEqualTo(before.limit());
    }

    /** The requests a page hands out for its neighbours. */
    @Nested
    class Neighbours {

        private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

        private MessagePage page(BrowseRequest request, List<Long> ids, boolean hasNext, boolean hasPrevious) {
            return new MessagePage(request, ids.stream().map(this::message).toList(), now, hasNext, hasPrevious);
        }

        private BrowsedMessage message(long id) {
            return new BrowsedMessage(JOBS, id, 0, now, now, null, null, MessageState.READY, "{}", false, 2, null,
                    null, null, null, "not a Dramatiq message");
        }

        @Test
        void nextFollowsTheLastRowAndPreviousPrecedesTheFirst() {
            BrowseRequest request = BrowseRequest.firstPage(JOBS).withAfter(10L).withLimit(3);
            MessagePage page = page(request, List.of(11L, 12L, 13L), true, true);
            assertThat(page.next()).contains(request.withAfter(13L));
            assertThat(page.previous()).contains(request.withBefore(11L));
        }

        @Test
        void newestFirstPagesUseTheSameRule() {
            BrowseRequest request = BrowseRequest.firstPage(JOBS).withOrder(Order.NEWEST_FIRST).withLimit(3);
            MessagePage page = page(request, List.of(30L, 29L, 28L), true, false);
            assertThat(page.next()).contains(request.withAfter(28L));
            assertThat(page.previous()).isEmpty();
        }

        @Test
        void noNeighbourWhereThereIsNothing() {
            MessagePage page = page(BrowseRequest.firstPage(JOBS), List.of(1L), false, false);
            assertThat(page.next()).isEmpty();
            assertThat(page.previous()).isEmpty();
        }

        @Test
        void anEmptyPageAfterACursorLeadsBackIncludingTheCursorRow() {
            BrowseRequest oldest = BrowseRequest.firstPage(JOBS).withAfter(50L);
            assertThat(page(oldest, List.of(), false, true).previous()).contains(oldest.withBefore(51L));

            BrowseRequest newest = oldest.withOrder(Order.NEWEST_FIRST).withAfter(50L);
            assertThat(page(newest, List.of(), false, true).previous()).contains(newest.withBefore(49L));
        }

        @Test
        void anEmptyPageBeforeACursorLeadsOnIncludingTheCursorRow() {
            BrowseRequest oldest = BrowseRequest.firstPage(JOBS).withBefore(50L);
            assertThat(page(oldest, List.of(), true, false).next()).contains(oldest.withAfter(49L));

            BrowseRequest newest = oldest.withOrder(Order.NEWEST_FIRST).withBefore(50L);
            assertThat(page(newest, List.of(), true, false).next()).contains(newest.withAfter(51L));
        }

        @Test
        void cursorArithmeticStaysInRange() {
            BrowseRequest oldest = BrowseRequest.firstPage(JOBS).withBefore(0L);
            assertThat(page(oldest, List.of(), true, false).next()).contains(oldest.withAfter(0L));
            BrowseRequest newest = BrowseRequest.firstPage(JOBS).withOrder(Order.NEWEST_FIRST)
                    .withBefore(Long.MAX_VALUE);
            assertThat(page(newest, List.of(), true, false).next()).contains(newest.withAfter(Long.MAX_VALUE));
        }

        @Test
        void messagesAreCopied() {
            List<BrowsedMessage> rows = new java.util.ArrayList<>(LongStream.rangeClosed(1, 3)
                    .mapToObj(this::message).toList());
            MessagePage page = new MessagePage(BrowseRequest.firstPage(JOBS), rows, now, false, false);
            rows.clear();
            assertThat(page.messages()).hasSize(3);
            assertThatThrownBy(() -> page.messages().clear()).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void visibleInCountsDownOnTheServerClock() {
            BrowsedMessage inFlight = new BrowsedMessage(JOBS, 1, 1, now, now.plusSeconds(300), now, null,
                    MessageState.IN_FLIGHT, "{}", false, 2, null, null, null, null, "x");
            assertThat(inFlight.visibleIn(now)).contains(Duration.ofSeconds(300));
            assertThat(inFlight.visibleIn(now.plusSeconds(300))).isEmpty();
            assertThat(message(2).visibleIn(now)).isEmpty();

            BrowsedMessage archived = new BrowsedMessage(MessageSource.archive("jobs"), 3, 1, now,
                    now.plusSeconds(60), null, now, MessageState.ARCHIVED, "{}", false, 2, null, null, null, null, "x");
            assertThat(archived.visibleIn(now)).isEmpty();
            assertThat(archived.isArchived()).isTrue();
            assertThat(archived.dramatiqMessage()).isEmpty();
        }
    }
}
