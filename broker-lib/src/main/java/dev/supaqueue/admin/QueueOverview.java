package dev.supaqueue.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The queue list at one moment: every pgmq queue, grouped by namespace. Dead-letter queues are not rows of
 * their own; their counts are in their origin queue's row ({@link QueueSummary#deadLetters()}).
 *
 * @param groups     namespaces sorted by name, the group of queues outside any namespace ({@code ""}) last
 * @param serverTime the database server's clock when the counts were taken, for ages without client clock skew
 * @param elapsed    how long the refresh took, round trips included
 * @param countCap   the cap the counts were taken with ({@link AdminOptions#countCap()})
 */
public record QueueOverview(List<NamespaceGroup> groups, Instant serverTime, Duration elapsed, long countCap) {

    public QueueOverview {
        groups = List.copyOf(groups);
        Objects.requireNonNull(serverTime, "serverTime");
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Every row, group after group, each group's queues by name. */
    public List<QueueSummary> queues() {
        return groups.stream().flatMap(group -> group.queues().stream()).toList();
    }

    /** The row of a pgmq queue, by its exact name (a dead-letter queue has no row when its origin exists). */
    public Optional<QueueSummary> find(String name) {
        Objects.requireNonNull(name, "name");
        return groups.stream().flatMap(group -> group.queues().stream())
                .filter(queue -> queue.name().equals(name)).findFirst();
    }

    /** The group of a namespace ({@code ""} for the queues outside any namespace). */
    public Optional<NamespaceGroup> group(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        return groups.stream().filter(group -> group.namespace().equals(namespace)).findFirst();
    }
}
