package dev.supaqueue.console.queues;

import dev.supaqueue.console.fx.ConsoleMessages;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The console's messages with this screen's queues.properties on top: what messages.properties holds once the
 * lead merged the keys in.
 */
final class QueuesTexts extends ResourceBundle {

    private final Map<String, Object> entries = new HashMap<>();

    private QueuesTexts() {
        for (ResourceBundle bundle : new ResourceBundle[] {ConsoleMessages.bundle(), queues()}) {
            for (String key : bundle.keySet()) {
                entries.put(key, bundle.getObject(key));
            }
        }
    }

    /** The screen's own texts only. */
    static ResourceBundle queues() {
        return ResourceBundle.getBundle("dev.supaqueue.console.i18n.queues");
    }

    /** Both bundles combined. */
    static ResourceBundle combined() {
        return new QueuesTexts();
    }

    @Override
    protected Object handleGetObject(String key) {
        return entries.get(key);
    }

    @Override
    public Enumeration<String> getKeys() {
        return Collections.enumeration(entries.keySet());
    }
}
