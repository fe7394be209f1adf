package dev.supaqueue.console.queues;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Brings a list of long-lived nodes in line with fresh data, matching by key: existing nodes are updated in place
 * (so views keep selection and expansion), new keys get new nodes, missing keys lose theirs, and the order follows
 * the data. The list is only replaced when its membership or order changed.
 */
final class TreeSync {

    private TreeSync() {
    }

    static <N, D> void sync(List<N> nodes, List<D> data, Function<N, String> nodeKey, Function<D, String> dataKey,
                            Function<D, N> create, BiConsumer<N, D> update) {
        Map<String, N> existing = new HashMap<>();
        for (N node : nodes) {
            existing.put(nodeKey.apply(node), node);
        }
        List<N> wanted = new ArrayList<>(data.size());
        for (D item : data) {
            N node = existing.get(dataKey.apply(item));
            if (node == null) {
                node = create.apply(item);
            } else {
                update.accept(node, item);
            }
            wanted.add(node);
        }
        if (!wanted.equals(nodes)) {
            if (nodes instanceof javafx.collections.ObservableList<N> observable) {
                observable.setAll(wanted);
            } else {
                nodes.clear();
                nodes.addAll(wanted);
            }
        }
    }
}
