package dev.supaqueue.console.workers;

import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.broker.Broker;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The user's actor providers found in a jar or classes folder, with their class loader (kept open while a worker
 * may run their code) and the actors they declared on a trial broker, by name with their queue.
 */
public final class LoadedActors implements ActorProvider, AutoCloseable {

    private final Path source;
    private final URLClassLoader loader;
    private final List<ActorProvider> providers;
    private final Map<String, String> actorQueues;

    LoadedActors(Path source, URLClassLoader loader, List<ActorProvider> providers, Map<String, String> actorQueues) {
        this.source = Objects.requireNonNull(source, "source");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.providers = List.copyOf(providers);
        this.actorQueues = Map.copyOf(actorQueues);
    }

    public Path source() {
        return source;
    }

    /** The providers' class names. */
    public List<String> providerNames() {
        return providers.stream().map(p -> p.getClass().getName()).toList();
    }

    /** Actor name to Dramatiq queue name, as the providers declared them. */
    public Map<String, String> actorQueues() {
        return actorQueues;
    }

    ClassLoader classLoader() {
        return loader;
    }

    /** Declares every provider's actors on {@code broker}, with the providers' class loader as the context loader. */
    @Override
    public void declareActors(Broker broker) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            for (ActorProvider provider : providers) {
                provider.declareActors(broker);
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            // Only open jar handles leak; nothing the user can act on.
            System.getLogger(LoadedActors.class.getName()).log(System.Logger.Level.DEBUG,
                    "Could not close the class loader of " + source, e);
        }
    }
}
