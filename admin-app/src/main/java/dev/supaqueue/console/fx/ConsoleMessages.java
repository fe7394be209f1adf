package dev.supaqueue.console.fx;

import java.util.ResourceBundle;

/** The i18n bundle with every user-visible text; FXML refers to its keys as {@code %key}. */
public final class ConsoleMessages {

    /** src-fx-resources/dev/supaqueue/console/i18n/messages*.properties */
    public static final String BUNDLE_NAME = "dev.supaqueue.console.i18n.messages";

    private ConsoleMessages() {
    }

    /** The bundle for the default locale, falling back to English. */
    public static ResourceBundle bundle() {
        return ResourceBundle.getBundle(BUNDLE_NAME);
    }
}
