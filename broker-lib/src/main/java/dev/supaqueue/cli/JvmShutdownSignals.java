package dev.supaqueue.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's own stop signals. A shutdown hook does the graceful stop, so it also runs on {@code System.exit} and
 * on signals not handled here. SIGTERM and SIGINT become {@code System.exit(0)}: left to the JVM they would end the
 * process with status 143 or 130 even after a clean stop. A second signal while stopping exits at once with 1, as
 * Dramatiq's does; the messages still running are then delivered again after the visibility timeout.
 */
final class JvmShutdownSignals implements ShutdownSignals {

    private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

    @Override
    public void onStop(Runnable stop, Duration shutdownTimeout) {
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "supaqueue-shutdown"));
        AtomicInteger received = new AtomicInteger();
        boolean installed = handleSignals(List.of("TERM", "INT"), signal -> {
            if (received.incrementAndGet() == 1) {
                log.info("Received SIG{}: stopping; running tasks have {} s to finish (send it again to exit at once)",
                        signal, shutdownTimeout.toSeconds());
                // Not on the signal thread: exit() blocks until the hooks are done, and a second signal must get through.
                new Thread(() -> System.exit(WorkerCommand.OK), "supaqueue-exit").start();
            } else {
                log.warn("Received SIG{} again: exiting now; the messages still running are delivered again after"
                        + " the visibility timeout", signal);
                Runtime.getRuntime().halt(WorkerCommand.FAILED);
            }
        });
        if (!installed) {
            log.debug("No signal handlers: SIGTERM still stops the worker gracefully (through the shutdown hook),"
                    + " but the exit status is then 143");
        }
    }

    /**
     * sun.misc.Signal is the only way to handle a signal in Java. It is reached by reflection because javac warns about
     * it on every build otherwise, with a warning that cannot be suppressed.
     */
    private static boolean handleSignals(List<String> names, Consumer<String> action) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> newSignal = signalClass.getConstructor(String.class);
            Method getName = signalClass.getMethod("getName");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            InvocationHandler body = (proxy, method, args) -> switch (method.getName()) {
                case "handle" -> {
                    action.accept((String) getName.invoke(args[0]));
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "supaqueue worker signal handler";
                default -> throw new UnsupportedOperationException(method.getName());
            };
            Object handler = Proxy.newProxyInstance(JvmShutdownSignals.class.getClassLoader(),
                    new Class<?>[] {handlerClass}, body);
            for (String name : names) {
                handle.invoke(null, newSignal.newInstance(name), handler);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // E.g. a JVM started with -Xrs, or one without the jdk.unsupported module.
            return false;
        }
    }
}
