package dev.supaqueue.console.connection;

/** A colour that marks a profile in the list and the window, so that production never looks like local. */
public enum ColourTag {
    GREY("#8a8f98"),
    GREEN("#2e9e5b"),
    BLUE("#2f6fdb"),
    ORANGE("#e08a1e"),
    RED("#d93b3b");

    private final String webColour;

    ColourTag(String webColour) {
        this.webColour = webColour;
    }

    /** The colour as CSS understands it, e.g. {@code #d93b3b}. */
    public String webColour() {
        return webColour;
    }
}
