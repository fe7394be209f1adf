package dev.supaqueue.console.workers;

import dev.supaqueue.actor.Actor;
import dev.supaqueue.actor.ActorProvider;
import dev.supaqueue.broker.StubBroker;
import dev.supaqueue.middleware.CurrentMessage;
import dev.supaqueue.middleware.DefaultMiddleware;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Loads the user's actors the way the {@code worker} command does: every {@link ActorProvider} named in
 * {@code META-INF/services/dev.supaqueue.actor.ActorProvider} of a jar or classes folder, through
 * {@link ServiceLoader} over a {@link URLClassLoader} whose parent sees broker-lib. The providers first declare
 * their actors on an in-memory {@link StubBroker}, which checks them and tells which actors there are, without
 * touching the database.
 */
public final class ActorLoader {

    static final String SERVICE_FILE = "META-INF/services/" + ActorProvider.class.getName();

    private ActorLoader() {
    }

    /** Blocking (reads files): call it off the FX thread. The caller closes the result. */
    public static LoadedActors load(Path source) throws ActorLoadException {
        if (source == null) {
            throw new ActorLoadException("No jar or folder was chosen");
        }
        Path path = source.toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new ActorLoadException("No such file or folder: " + path);
        }
        boolean folder = Files.isDirectory(path);
        if (!folder && !path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jar")) {
            throw new ActorLoadException(path + " is neither a .jar file nor a classes folder");
        }
        if (!Files.isReadable(path)) {
            throw new ActorLoadException("Cannot read " + path + ": permission denied");
        }
        URL url;
        try {
            url = path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new ActorLoadException("Cannot use " + path + " as a class path entry: " + e.getMessage(), e);
        }
        URLClassLoader loader = new URLClassLoader("supaqueue-actors", new URL[] {url},
                ActorProvider.class.getClassLoader());
        try {
            List<ActorProvider> providers = providers(loader, path);
            Map<String, String> actorQueues = trialDeclare(providers, path);
            return new LoadedActors(path, loader, providers, actorQueues);
        } catch (ActorLoadException | RuntimeException | Error e) {
            closeQuietly(loader);
            throw e;
        }
    }

    private static List<ActorProvider> providers(URLClassLoader loader, Path path) throws ActorLoadException {
        if (loader.findResource(SERVICE_FILE) == null) {
            throw new ActorLoadException("No actor provider in " + path + ": it has no " + SERVICE_FILE
                    + ". Implement " + ActorProvider.class.getName() + " in a public class with a public"
                    + " no-argument constructor and name that class in this file.");
        }
        List<ActorProvider> found = new ArrayList<>();
        try {
            for (ActorProvider provider : ServiceLoader.load(ActorProvider.class, loader)) {
                // Providers that a parent loader sees (e.g. on the console's own class path) are not the user's.
                if (provider.getClass().getClassLoader() == loader) {
                    found.add(provider);
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new ActorLoadException("Cannot load an actor provider from " + path + ": " + describe(e)
                    + ". Each class named in " + SERVICE_FILE + " must be public, implement "
                    + ActorProvider.class.getName() + ", have a public no-argument constructor, and be in this jar"
                    + " or folder (with its dependencies).", e);
        }
        if (found.isEmpty()) {
            throw new ActorLoadException("No actor provider in " + path + ": " + SERVICE_FILE
                    + " names no class of this jar or folder");
        }
        return found;
    }

    /** Declares the actors on a stub broker with the default middleware, which checks names and options. */
    private static Map<String, String> trialDeclare(List<ActorProvider> providers, Path path)
            throws ActorLoadException {
        // The same middleware as the worker's broker, so that the same actor options are accepted.
        StubBroker trial = new StubBroker(DefaultMiddleware.with(new CurrentMessage()));
        try {
            for (ActorProvider provider : providers) {
                try {
                    provider.declareActors(trial);
                } catch (RuntimeException | LinkageError e) {
                    throw new ActorLoadException("Actor provider " + provider.getClass().getName() + " from "
                            + path + " failed: " + describe(e), e);
                }
            }
            Map<String, String> actorQueues = new TreeMap<>();
            for (Actor<?> actor : trial.actors().values()) {
                actorQueues.put(actor.actorName(), actor.queueName());
            }
            if (actorQueues.isEmpty()) {
                throw new ActorLoadException("The actor providers in " + path + " declared no actor");
            }
            return actorQueues;
        } finally {
            trial.close();
        }
    }

    /** The root cause too, which names the missing class in a NoClassDefFoundError chain. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (root != e) {
            text += " (caused by " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        }
        return text;
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (java.io.IOException ignored) {
            // Nothing was loaded from it that outlives this call.
        }
    }
}
