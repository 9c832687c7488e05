package jp.yui.testsupport;

import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks and starts the server the tests use: {@value ExternalPostgres#URL}, else Docker, else embedded. */
final class PostgresServers {

    /** Enough for a class that opens 50 connections at once while others are open. */
    static final int MAX_CONNECTIONS = 300;

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServers.class);

    private PostgresServers() {}

    static PostgresServer start(Map<String, String> environment) {
        Optional<PostgresServer> external = ExternalPostgres.fromEnvironment(environment);
        if (external.isPresent()) {
            return external.get();
        }
        if (dockerAvailable()) {
            return ContainerPostgres.start();
        }
        LOG.info("No {} and no Docker engine: starting embedded PostgreSQL", ExternalPostgres.URL);
        return EmbeddedPostgresServer.start();
    }

    private static boolean dockerAvailable() {
        try {
            return ContainerPostgres.dockerAvailable();
        } catch (LinkageError e) {
            // Testcontainers, or one of its dependencies, is not on the class path.
            LOG.debug("Testcontainers unavailable", e);
            return false;
        }
    }
}
