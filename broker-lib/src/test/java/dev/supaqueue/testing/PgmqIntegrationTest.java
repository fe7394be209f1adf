package dev.supaqueue.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs against a real PostgreSQL with pgmq; test methods may take a
 * {@link TestDatabaseServer} and a {@link TestQueues} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("integration")
@ExtendWith(PgmqDatabaseExtension.class)
public @interface PgmqIntegrationTest {
}
