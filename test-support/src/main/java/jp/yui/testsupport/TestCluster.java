package jp.yui.testsupport;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.Constructor;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one PostgreSQL server of this JVM, its template databases, and the test databases cloned from them.
 * Started on first use, stopped by a shutdown hook. Thread-safe.
 *
 * <p>Every name carries a random run id, so JVMs sharing one external server never collide.
 */
final class TestCluster {

    private static final Logger LOG = LoggerFactory.getLogger(TestCluster.class);

    /** PostgreSQL's identifier limit, in bytes; names here are ASCII. */
    private static final int MAX_NAME_LENGTH = 63;
    private static final String OBJECT_IN_USE = "55006";
    private static final int CLONE_ATTEMPTS = 5;

    private static TestCluster instance;
    private static RuntimeException startFailure;

    private final PostgresServer server;
    private final int majorVersion;
    private final String runId;
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<Class<? extends DatabaseTemplate>, Template> templates = new ConcurrentHashMap<>();
    private final Set<TestDatabase> open = ConcurrentHashMap.newKeySet();

    private TestCluster(PostgresServer server, int majorVersion, String runId) {
        this.server = server;
        this.majorVersion = majorVersion;
        this.runId = runId;
    }

    /**
     * The cluster, started on the first call.
     *
     * @throws IllegalStateException if no server could be started, on this call or an earlier one
     */
    static synchronized TestCluster get() {
        if (startFailure != null) {
            throw new IllegalStateException("the test PostgreSQL failed to start earlier in this JVM", startFailure);
        }
        if (instance == null) {
            try {
                instance = start();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return instance;
    }

    private static TestCluster start() {
        PostgresServer server = PostgresServers.start(System.getenv());
        try {
            int majorVersion = describe(server);
            byte[] random = new byte[4];
            new SecureRandom().nextBytes(random);
            TestCluster cluster = new TestCluster(server, majorVersion, HexFormat.of().formatHex(random));
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::shutdown, "yui-test-postgres-shutdown"));
            return cluster;
        } catch (SQLException | RuntimeException e) {
            stop(server);
            throw new IllegalStateException("could not connect to the test PostgreSQL, " + server.source(), e);
        }
    }

    /** Logs, once per JVM, which server the tests got; returns its major version. */
    private static int describe(PostgresServer server) throws SQLException {
        try (Connection connection = server.admin();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT version(),"
                        + " current_setting('server_version_num')::int / 10000,"
                        + " current_setting('max_connections')::int,"
                        + " current_setting('fsync'), current_setting('synchronous_commit')")) {
            row.next();
            int maxConnections = row.getInt(3);
            LOG.info("Test PostgreSQL from {}: {} (max_connections={}, fsync={}, synchronous_commit={})",
                    server.source(), row.getString(1), maxConnections, row.getString(4), row.getString(5));
            if (maxConnections < 200) {
                LOG.warn("max_connections is {}: tests that open many connections at once may fail", maxConnections);
            }
            return row.getInt(2);
        }
    }

    PostgresServer server() {
        return server;
    }

    /**
     * Creates a new database from the template built by {@code type}, building that template first if this JVM
     * has not yet.
     *
     * @return the new database's name
     * @throws IllegalStateException if the template cannot be built, or the database cannot be created
     */
    String cloneOf(Class<? extends DatabaseTemplate> type) {
        requireNonNull(type, "template");
        String template = templates.computeIfAbsent(type, Template::new).name();
        String name = databaseName(Integer.toString(sequence.incrementAndGet()), type);
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    execute("CREATE DATABASE " + quote(name) + " TEMPLATE " + quote(template));
                    return name;
                } catch (SQLException e) {
                    // Rare: an autovacuum worker still on the template.
                    if (!OBJECT_IN_USE.equals(e.getSQLState()) || attempt == CLONE_ATTEMPTS) {
                        throw e;
                    }
                    Thread.sleep(100L * attempt);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " from template " + template, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating database " + name, e);
        }
    }

    void opened(TestDatabase database) {
        open.add(database);
    }

    void closed(TestDatabase database) {
        open.remove(database);
    }

    /**
     * Drops a database, ending its connections first.
     *
     * @throws IllegalStateException if the server refuses
     */
    void drop(String database) {
        try {
            dropDatabase(database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop database " + database, e);
        }
    }

    private void dropDatabase(String name) throws SQLException {
        if (majorVersion >= 13) {
            execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
            return;
        }
        execute("ALTER DATABASE " + quote(name) + " WITH ALLOW_CONNECTIONS false");
        terminateConnections(name);
        execute("DROP DATABASE IF EXISTS " + quote(name));
    }

    /** Ends every other session connected to {@code database}; returns how many there were. */
    private int terminateConnections(String database) throws SQLException {
        try (Connection connection = server.admin();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
            statement.setString(1, database);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = server.admin(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** {@code yui_<run>_<kind>_<template class>}, cut to PostgreSQL's identifier limit. */
    private String databaseName(String kind, Class<?> template) {
        String hint = template.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        String name = "yui_" + runId + "_" + kind + "_" + hint;
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Closes what tests left open and, on a shared server, drops everything this JVM made; then stops. */
    private void shutdown() {
        if (server.shared()) {
            for (TestDatabase database : open) {
                try {
                    database.close();
                } catch (RuntimeException e) {
                    LOG.warn("could not drop test database {}", database.name(), e);
                }
            }
            for (Template template : templates.values()) {
                template.drop();
            }
        }
        stop(server);
    }

    private static void stop(PostgresServer server) {
        try {
            server.stopper().close();
        } catch (Exception e) {
            LOG.warn("could not stop the test PostgreSQL, {}", server.source(), e);
        }
    }

    /** One template database, built on the first request for it. */
    private final class Template {

        private final Class<? extends DatabaseTemplate> type;
        private String name;
        private RuntimeException failure;

        Template(Class<? extends DatabaseTemplate> type) {
            this.type = type;
        }

        /** Builds the template if needed; later callers wait for the first. */
        synchronized String name() {
            if (failure != null) {
                throw new IllegalStateException(
                        "template " + type.getName() + " failed to initialize earlier in this JVM", failure);
            }
            if (name == null) {
                try {
                    name = build();
                } catch (Exception e) {
                    failure = new IllegalStateException("template " + type.getName() + " failed to initialize", e);
                    throw failure;
                }
            }
            return name;
        }

        private String build() throws Exception {
            DatabaseTemplate template = instantiate(type);
            // The number keeps apart templates whose classes share a simple name.
            String database = databaseName("tpl" + sequence.incrementAndGet(), type);
            // template0 has no local additions; the C locale makes sorting the same on every server.
            execute("CREATE DATABASE " + quote(database)
                    + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'");
            long start = System.nanoTime();
            try {
                template.initialize(server.unpooled(database));
                // Nobody may connect any more, so every clone sees the schema as initialize() left it; and
                // CREATE DATABASE ... TEMPLATE fails while a session is connected to the template.
                execute("ALTER DATABASE " + quote(database) + " WITH ALLOW_CONNECTIONS false");
                int leaked = terminateConnections(database);
                if (leaked > 0) {
                    LOG.warn("{}.initialize() left {} connection(s) open; they were terminated", type.getName(), leaked);
                }
            } catch (Exception e) {
                try {
                    dropDatabase(database);
                } catch (SQLException dropFailure) {
                    e.addSuppressed(dropFailure);
                }
                throw e;
            }
            LOG.info("Built template database {} with {} in {} ms",
                    database, type.getName(), (System.nanoTime() - start) / 1_000_000);
            return database;
        }

        synchronized void drop() {
            if (name == null) {
                return;
            }
            try {
                dropDatabase(name);
            } catch (SQLException e) {
                LOG.warn("could not drop template database {}", name, e);
            }
            name = null;
        }
    }

    private static DatabaseTemplate instantiate(Class<? extends DatabaseTemplate> type) throws ReflectiveOperationException {
        Constructor<? extends DatabaseTemplate> constructor;
        try {
            constructor = type.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(
                    "template " + type.getName() + " needs a constructor without parameters", e);
        }
        constructor.setAccessible(true);
        return constructor.newInstance();
    }
}
