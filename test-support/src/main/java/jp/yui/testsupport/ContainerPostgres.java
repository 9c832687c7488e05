package jp.yui.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * {@code postgres:17} in a container, when a Docker engine answers. Nothing else in this package names a
 * Testcontainers type, so without Docker (or without Testcontainers on the class path) this class is never
 * initialised.
 */
final class ContainerPostgres {

    static final String IMAGE = "postgres:17";

    private ContainerPostgres() {}

    /** Whether a Docker engine is reachable; never throws for a missing or broken one. */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static PostgresServer start() {
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse(IMAGE))
                .withDatabaseName("yui")
                .withUsername("yui")
                .withPassword("yui")
                // Replaces Testcontainers' default "-c fsync=off": tests run with the durability settings of production.
                .withCommand("postgres", "-c", "max_connections=" + PostgresServers.MAX_CONNECTIONS);
        container.start();
        return new PostgresServer(
                "Testcontainers " + IMAGE,
                "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/",
                "",
                container.getUsername(),
                container.getPassword(),
                container.getDatabaseName(),
                false,
                container::stop);
    }
}
