package dev.supaqueue.benchmarks.jmh;

import dev.supaqueue.message.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages and argument values the benchmarks work on, built the same way every run so that figures from
 * different runs compare. Sizes are printed by {@link #main}.
 */
public final class Fixtures {

    /** One line of an order: a record nested in a record, as actors commonly take. */
    public record LineItem(String sku, int quantity, double unitPrice, String description) {
    }

    /** A record argument with nested records, a list, a map and primitives. */
    public record Order(long id, String customer, List<LineItem> items, Map<String, String> tags, boolean express) {
    }

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private Fixtures() {
    }

    /**
     * A typical Dramatiq message: three positional arguments, two keyword arguments and the options a producer
     * and Retries leave on it (about 330 bytes of JSON).
     */
    public static Message typicalMessage() {
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("currency", "EUR");
        kwargs.put("notify", true);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("max_retries", 5);
        options.put("retries", 1);
        options.put("traceparent", TRACEPARENT);
        return new Message("default", "send_invoice", List.of(42, "ada@example.com", 19.99), kwargs, options,
                "6f1d2c9e-8a4b-4f3e-9b7a-1c2d3e4f5a6b", 1_764_000_000_000L);
    }

    /**
     * A large message: an order of 50 line items as a JSON object, 20 tags, a 2 KB note with non-ASCII text and
     * a pipe_target option holding a whole message dict (about 9 KB of JSON).
     */
    public static Message largeMessage() {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("sku", "SKU-" + (100_000 + i));
            item.put("quantity", 1 + i % 7);
            item.put("unit_price", 3.25 + i * 1.5);
            item.put("description", "Item number " + i + " — größe M, colour «blue»");
            items.add(item);
        }
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", 9_000_000_001L);
        order.put("customer", "Grace Hopper");
        order.put("items", items);
        order.put("express", false);
        Map<String, Object> tags = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            tags.put("tag" + i, "value-" + i);
        }
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("tags", tags);
        kwargs.put("note", "Zürich → São Paulo, déjà vu. ".repeat(70));
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("max_retries", 20);
        options.put("retries", 3);
        options.put("traceparent", TRACEPARENT);
        options.put("pipe_target", typicalMessage().withOptions(Map.of("pipe_ignore", true)).toMap());
        return new Message("orders", "fulfil_order", List.of(order), kwargs, options,
                "0b9e4c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b", 1_764_000_000_000L);
    }

    /** An order of {@code lines} line items, as a Java value. */
    public static Order order(int lines) {
        List<LineItem> items = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            items.add(new LineItem("SKU-" + (100_000 + i), 1 + i % 7, 3.25 + i * 1.5, "Item number " + i));
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("channel", "web");
        tags.put("region", "eu-west");
        return new Order(9_000_000_001L, "Grace Hopper", items, tags, true);
    }

    /** {@code n} integers, as a Java list. */
    public static List<Integer> ids(int n) {
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(1_000 + i);
        }
        return ids;
    }

    /** {@code n} prices by SKU, as a Java map. */
    public static Map<String, Double> prices(int n) {
        Map<String, Double> prices = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            prices.put("SKU-" + (100_000 + i), 3.25 + i * 1.5);
        }
        return prices;
    }

    /** Prints the encoded size of the fixture messages (for the results' description). */
    public static void main(String[] args) {
        var codec = new dev.supaqueue.message.MessageCodec();
        System.out.println("typical: " + codec.encodeBytes(typicalMessage()).length + " bytes");
        System.out.println("large: " + codec.encodeBytes(largeMessage()).length + " bytes");
    }
}
