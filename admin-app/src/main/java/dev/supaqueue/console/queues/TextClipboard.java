package dev.supaqueue.console.queues;

/** Where copy commands put text: the system clipboard in the console, a plain holder in tests. */
@FunctionalInterface
public interface TextClipboard {

    /** Replaces the clipboard's content with {@code text}. */
    void putText(String text);
}
