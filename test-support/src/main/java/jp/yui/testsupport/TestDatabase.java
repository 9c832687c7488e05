package jp.yui.testsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A PostgreSQL database of its own for one test class, cloned from a template that a {@link DatabaseTemplate}
 * built. {@link #close()} drops it.
 *
 * <p>The server is, in order: the one {@code YUI_TEST_DATABASE_URL} names (with {@code YUI_TEST_DATABASE_USER}
 * and {@code YUI_TEST_DATABASE_PASSWORD}, or the URL's {@code user} and {@code password}); {@code postgres:17} in
 * Testcontainers when a Docker engine answers; else zonky's embedded PostgreSQL 17. One server per JVM, started on
 * first use and stopped when the JVM exits. Thread-safe.
 */
public final class TestDatabase implements AutoCloseable {

    /** Enough for a test that opens 50 connections at once; connections open only when asked for. */
    private static final int POOL_SIZE = 100;

    private final TestCluster cluster;
    private final String name;
    private final String jdbcUrl;
    private final HikariDataSource dataSource;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TestDatabase(TestCluster cluster, String name) {
        this.cluster = cluster;
        this.name = name;
        this.jdbcUrl = cluster.server().jdbcUrl(name);
        HikariConfig config = new HikariConfig();
        config.setPoolName("test-" + name);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user());
        config.setPassword(password());
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        this.dataSource = new HikariDataSource(config);
    }

    /**
     * Creates a database from {@code template}'s schema: {@code CREATE DATABASE ... TEMPLATE}, which copies files
     * instead of replaying migrations. The template is built on the first call for it in this JVM; concurrent
     * first calls wait for one build.
     *
     * @param template the schema; needs a constructor without parameters
     * @throws NullPointerException if {@code template} is null
     * @throws IllegalStateException if no server starts, the template's {@link DatabaseTemplate#initialize}
     *     throws (now or earlier in this JVM), or the server refuses the new database
     */
    public static TestDatabase create(Class<? extends DatabaseTemplate> template) {
        TestCluster cluster = TestCluster.get();
        String name = cluster.cloneOf(template);
        TestDatabase database;
        try {
            database = new TestDatabase(cluster, name);
        } catch (RuntimeException e) {
            cluster.drop(name);
            throw e;
        }
        cluster.opened(database);
        return database;
    }

    /**
     * A pool of connections to this database, as a user that owns its tables (so tests may, for example,
     * {@code ALTER TABLE ... DISABLE TRIGGER}). Up to 100 connections at once; a caller asking for more waits
     * up to 10 seconds.
     *
     * @throws IllegalStateException if this database is closed
     */
    public DataSource dataSource() {
        if (closed.get()) {
            throw new IllegalStateException("test database " + name + " is closed");
        }
        return dataSource;
    }

    /** A URL for this database, for code that makes its own connections; with {@link #user()} and {@link #password()}. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return cluster.server().user();
    }

    /** The password for {@link #user()}; {@code ""} where the server does not check one. */
    public String password() {
        return cluster.server().password();
    }

    /** The database's name, unique for this JVM run. */
    public String name() {
        return name;
    }

    /** Closes the pool, ends any other connection to this database and drops it. Later calls do nothing. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            dataSource.close();
        } finally {
            cluster.closed(this);
            cluster.drop(name);
        }
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + "]";
    }
}
