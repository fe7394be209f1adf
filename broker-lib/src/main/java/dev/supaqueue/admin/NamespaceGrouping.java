package dev.supaqueue.admin;

import dev.supaqueue.broker.QueueNames;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which namespace a pgmq queue is listed under. pgmq has no namespaces, only names, so the grouping is a reading
 * of the names: a known namespace ({@link AdminOptions#namespaces()}) claims {@code <ns>_<rest>}, the longest
 * one first; otherwise, when inference is on, queues whose names share a first word ({@code app_emails},
 * {@code app_reports}) form the namespace {@code app}. Pure logic over names: foreign names (upper case, odd
 * characters) are grouped like any other and never rejected.
 */
final class NamespaceGrouping {

    private static final String SEPARATOR = QueueNames.NAMESPACE_SEPARATOR;

    private final List<String> known;
    private final boolean infer;

    NamespaceGrouping(AdminOptions options) {
        this(options.namespaces(), options.inferNamespaces());
    }

    NamespaceGrouping(Set<String> namespaces, boolean infer) {
        // Longest first, so that "app_billing" wins over "app" for "app_billing_invoices".
        this.known = namespaces.stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .toList();
        this.infer = infer;
    }

    /**
     * The namespace of every name: the queues to group, all of them (inference counts the others sharing a
     * word). Duplicates are ignored.
     *
     * @return each name's namespace, {@code ""} for none
     */
    Map<String, String> assign(Collection<String> names) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String name : names) {
            distinct.add(Objects.requireNonNull(name, "queue name"));
        }
        Map<String, String> result = new HashMap<>();
        Map<String, Integer> sharing = new HashMap<>();
        for (String name : distinct) {
            String namespace = knownNamespace(name);
            if (namespace != null) {
                result.put(name, namespace);
            } else if (infer && !QueueNames.isDeadLetter(name)) {
                // Dead-letter queues do not count: app_emails and app_emails_xq are one queue, not a namespace.
                String word = firstWord(name);
                if (word != null) {
                    sharing.merge(word, 1, Integer::sum);
                }
            }
        }
        for (String name : distinct) {
            if (result.containsKey(name)) {
                continue;
            }
            String word = infer ? firstWord(name) : null;
            result.put(name, word != null && sharing.getOrDefault(word, 0) >= 2 ? word : "");
        }
        return result;
    }

    /** The name without {@code <namespace>_}; the name itself for the empty namespace. */
    static String shortName(String name, String namespace) {
        if (namespace.isEmpty()) {
            return name;
        }
        String prefix = namespace + SEPARATOR;
        if (!name.startsWith(prefix) || name.length() == prefix.length()) {
            throw new IllegalArgumentException("Queue \"" + name + "\" is not in namespace \"" + namespace + "\"");
        }
        return name.substring(prefix.length());
    }

    private String knownNamespace(String name) {
        for (String namespace : known) {
            if (name.length() > namespace.length() + SEPARATOR.length() && name.startsWith(namespace + SEPARATOR)) {
                return namespace;
            }
        }
        return null;
    }

    /** The part before the first separator, when both it and the rest are non-empty; else null. */
    private static String firstWord(String name) {
        int at = name.indexOf(SEPARATOR);
        if (at <= 0 || at + SEPARATOR.length() >= name.length()) {
            return null;
        }
        return name.substring(0, at);
    }
}
