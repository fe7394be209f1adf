package dev.supaqueue.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives integration tests a {@link TestDatabaseServer} (one per JVM, found by {@link TestDatabaseLocator})
 * and a per-test {@link TestQueues} whose queues are dropped after the test.
 *
 * <p>Use it through {@link PgmqIntegrationTest}.
 */
public final class PgmqDatabaseExtension implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PgmqDatabaseExtension.class);
    private static final Logger log = LoggerFactory.getLogger(PgmqDatabaseExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestDatabaseServer.class || type == TestQueues.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        TestDatabaseServer server = server(context);
        if (type == TestDatabaseServer.class) {
            return server;
        }
        // Queues belong to the test method (or, for constructor/@BeforeAll injection, to the class).
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(TestQueues.class,
                key -> new TestQueues(server), TestQueues.class);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        TestQueues queues = context.getStore(NAMESPACE).remove(TestQueues.class, TestQueues.class);
        if (queues != null) {
            queues.close();
        }
    }

    private static TestDatabaseServer server(ExtensionContext context) {
        // Stored in the root context: located once per JVM and closed (database dropped) when the run ends.
        Located located = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Located.class, key -> Located.locate(), Located.class);
        if (located.failure != null) {
            throw new ExtensionConfigurationException(located.failure.getMessage(), located.failure);
        }
        return located.server;
    }

    /** The outcome of locating a server, failures included, so that every test fails fast with the same reason. */
    private static final class Located implements AutoCloseable {
        private final TestDatabaseServer server;
        private final RuntimeException failure;

        private Located(TestDatabaseServer server, RuntimeException failure) {
            this.server = server;
            this.failure = failure;
        }

        static Located locate() {
            try {
                TestDatabaseServer server = new TestDatabaseLocator(System.getenv()).locate();
                log.info("Integration tests use {}", server);
                return new Located(server, null);
            } catch (RuntimeException e) {
                return new Located(null, e);
            }
        }

        @Override
        public void close() throws java.sql.SQLException {
            if (server != null) {
                server.close();
            }
        }
    }
}
