package dev.supaqueue.middleware;

import java.util.ArrayList;
import java.util.List;

/**
 * Dramatiq's default middleware ({@code dramatiq/middleware/__init__.py}), what a broker created with a
 * {@code null} middleware list gets: in this order
 * {@link AgeLimit}, {@link TimeLimit}, {@link ShutdownNotifications}, {@link Callbacks}, {@link Pipelines},
 * {@link Retries}, each with Dramatiq's defaults. Since {@code after*} hooks run in reverse order, {@code Retries}
 * sees a failed message first and has counted the attempt in {@code options.retries} before {@code Callbacks}
 * sends {@code on_failure}.
 */
public final class DefaultMiddleware {

    private DefaultMiddleware() {
    }

    /** New instances of the default middleware, in Dramatiq's order (a mutable list, to add to or trim). */
    public static List<Middleware> create() {
        // Mutable so that callers can append their own middleware before handing the list to a broker.
        return new ArrayList<>(List.of(new AgeLimit(), new TimeLimit(), new ShutdownNotifications(),
                new Callbacks(), new Pipelines(), new Retries()));
    }

    /** The defaults followed by {@code extra}, in order: e.g. {@code DefaultMiddleware.with(new MyMetrics())}. */
    public static List<Middleware> with(Middleware... extra) {
        List<Middleware> middleware = create();
        middleware.addAll(List.of(extra));
        return middleware;
    }
}
