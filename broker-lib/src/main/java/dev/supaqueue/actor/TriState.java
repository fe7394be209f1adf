package dev.supaqueue.actor;

/** A boolean annotation attribute that can also be left unset, so the actor inherits the middleware's default. */
public enum TriState {
    UNSET,
    TRUE,
    FALSE;

    /** Null for {@link #UNSET}. */
    Boolean toBoolean() {
        return switch (this) {
            case UNSET -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
        };
    }
}
