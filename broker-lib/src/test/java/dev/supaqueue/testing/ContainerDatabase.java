package dev.supaqueue.testing;

import java.util.Properties;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** A PostgreSQL container with pgmq, for machines with a Docker engine. */
final class ContainerDatabase implements AutoCloseable {

    private final PostgreSQLContainer container;

    private ContainerDatabase(PostgreSQLContainer container) {
        this.container = container;
    }

    /** {@code null} when a Docker engine answers, otherwise why Testcontainers cannot be used. */
    static String whyUnavailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable() ? null : "no Docker engine found";
        } catch (RuntimeException | LinkageError e) {
            return "no Docker engine found (" + e.getMessage() + ")";
        }
    }

    static ContainerDatabase start(String image) {
        PostgreSQLContainer container = new PostgreSQLContainer(
                DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
        container.start();
        return new ContainerDatabase(container);
    }

    String jdbcUrl() {
        return container.getJdbcUrl();
    }

    Properties credentials() {
        Properties credentials = new Properties();
        credentials.setProperty("user", container.getUsername());
        credentials.setProperty("password", container.getPassword());
        return credentials;
    }

    @Override
    public void close() {
        container.stop();
    }
}
