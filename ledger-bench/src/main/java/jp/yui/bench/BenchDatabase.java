package jp.yui.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL the benchmark runs on, with a fresh database of its own: an embedded server (zonky, real
 * PostgreSQL binaries, fsync and synchronous_commit on, like the server's own embedded database), or the server
 * {@value #URL} names.
 */
final class BenchDatabase implements AutoCloseable {

    static final String URL = "YUI_BENCH_DATABASE_URL";
    static final String USER = "YUI_BENCH_DATABASE_USER";
    static final String PASSWORD = "YUI_BENCH_DATABASE_PASSWORD";

    /** Server settings the report records. */
    static final List<String> SETTINGS = List.of("fsync", "synchronous_commit", "full_page_writes", "wal_sync_method",
            "shared_buffers", "wal_level", "wal_buffers", "max_wal_size", "checkpoint_timeout", "commit_delay",
            "effective_io_concurrency", "max_connections", "work_mem", "shared_preload_libraries", "track_wal_io_timing");

    private final String source;
    private final String urlPrefix;
    private final String urlQuery;
    private final String database;
    private final String adminDatabase;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;
    private final Path dataDirectory;
    private final List<String> extraDatabases = new java.util.ArrayList<>();

    private BenchDatabase(String source, String urlPrefix, String urlQuery, String database, String adminDatabase,
            String user, String password, EmbeddedPostgres embedded, Path dataDirectory) {
        this.source = source;
        this.urlPrefix = urlPrefix;
        this.urlQuery = urlQuery;
        this.database = database;
        this.adminDatabase = adminDatabase;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
        this.dataDirectory = dataDirectory;
    }

    /** Starts (or connects to) the server and creates the benchmark's database. */
    static BenchDatabase start(Map<String, String> env, boolean profileSql, Map<String, String> pgSettings)
            throws SQLException {
        String url = env.get(URL);
        BenchDatabase db;
        if (url != null && !url.isBlank()) {
            if (!pgSettings.isEmpty()) {
                throw new IllegalArgumentException("--pg applies to the embedded PostgreSQL only, not to " + URL);
            }
            db = external(url.trim(), env);
        } else {
            db = embedded(profileSql, pgSettings);
        }
        try (Connection c = db.admin(); Statement s = c.createStatement()) {
            s.execute("create database " + db.database + " encoding 'UTF8' lc_collate 'C' lc_ctype 'C' template template0");
        } catch (SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private static BenchDatabase embedded(boolean profileSql, Map<String, String> pgSettings) {
        Path dir;
        EmbeddedPostgres postgres;
        try {
            dir = Files.createTempDirectory("yui-bench-pg");
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (profileSql) {
                builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                        .setServerConfig("pg_stat_statements.track_planning", "on")
                        .setServerConfig("track_wal_io_timing", "on")
                        .setServerConfig("track_io_timing", "on");
            }
            builder
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(true)
                    // zonky passes -F (fsync off) and synchronous_commit=off by default; a ledger keeps both on.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "100")
                    .setLocaleConfig("locale", "C")
                    .setPGStartupWait(Duration.ofSeconds(60));
            pgSettings.forEach(builder::setServerConfig);
            postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL (as root it needs `unshare -U`; or set "
                    + URL + ")", e);
        }
        return new BenchDatabase("embedded (zonky)", "jdbc:postgresql://localhost:" + postgres.getPort() + "/", "",
                "yui_bench", "postgres", "postgres", "", postgres, dir);
    }

    private static BenchDatabase external(String url, Map<String, String> env) {
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException(URL + " must be a jdbc:postgresql:// URL: " + url);
        }
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String urlQuery = query < 0 ? "" : url.substring(query);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        String prefix = slash < 0 ? base + "/" : base.substring(0, slash + 1);
        String admin = slash < 0 || slash == base.length() - 1 ? "postgres" : base.substring(slash + 1);
        String name = "yui_bench_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss")) + "_"
                + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        return new BenchDatabase("external (" + URL + ")", prefix, urlQuery, name, admin,
                env.getOrDefault(USER, ""), env.getOrDefault(PASSWORD, ""), null, null);
    }

    String source() {
        return source;
    }

    /** The data directory of the embedded server, or null. */
    Path dataDirectory() {
        return dataDirectory;
    }

    /** The benchmark database's URL without parameters (they may hold a password). */
    String displayUrl() {
        return urlPrefix + database + (urlQuery.isEmpty() ? "" : "?…");
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(urlPrefix + adminDatabase + urlQuery, properties("yui-bench-admin"));
    }

    private Properties properties(String applicationName) {
        Properties p = new Properties();
        if (!user.isEmpty()) {
            p.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", applicationName);
        return p;
    }

    /**
     * Creates another database on the same server, dropped with the benchmark's own (the embedded server goes away
     * whole; on an external one it is dropped by name), for a process of its own such as the ledger server.
     *
     * @return its JDBC URL, without the user and password (see {@link #user()} and {@link #password()})
     */
    String createDatabase(String suffix) throws SQLException {
        if (!suffix.matches("[a-z0-9_]{1,20}")) {
            throw new IllegalArgumentException("database suffix must be [a-z0-9_]{1,20}: " + suffix);
        }
        String name = database + "_" + suffix;
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("create database " + name + " encoding 'UTF8' lc_collate 'C' lc_ctype 'C' template template0");
        }
        extraDatabases.add(name);
        return urlPrefix + name + urlQuery;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** A new connection to the benchmark database (durable commits, auto-commit on). */
    Connection connect(String applicationName) throws SQLException {
        return DriverManager.getConnection(urlPrefix + database + urlQuery, properties(applicationName));
    }

    /**
     * A connection pool on the benchmark database.
     *
     * @param durable false only for set-up (accounts, funding): its commits then do not wait for the WAL flush,
     *                which is not what is measured
     */
    HikariDataSource pool(String name, int size, boolean durable) {
        return pool(name, urlPrefix + database + urlQuery, size, durable);
    }

    /** A connection pool on another database of this server (one {@link #createDatabase} made). */
    HikariDataSource pool(String name, String jdbcUrl, int size, boolean durable) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(jdbcUrl);
        if (!user.isEmpty()) {
            config.setUsername(user);
        }
        if (!password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.addDataSourceProperty("ApplicationName", name);
        if (!durable) {
            config.setConnectionInitSql("set synchronous_commit = off");
        }
        return new HikariDataSource(config);
    }

    /** The server's version and the settings that decide how fast a durable commit is. */
    Map<String, Object> settings() throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        try (Connection c = connect("yui-bench-settings"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select version(), current_setting('server_version')")) {
                rs.next();
                m.put("version", rs.getString(2));
                m.put("version_string", rs.getString(1));
            }
            for (String name : SETTINGS) {
                try (ResultSet rs = s.executeQuery("show " + name)) {
                    rs.next();
                    m.put(name, rs.getString(1));
                }
            }
        }
        if (dataDirectory != null) {
            m.put("data_directory", dataDirectory.toString());
            m.put("data_directory_filesystem", Machine.filesystemOf(dataDirectory));
        }
        return m;
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("could not stop embedded PostgreSQL: " + e);
            }
            return;
        }
        List<String> all = new java.util.ArrayList<>(extraDatabases);
        all.add(database);
        for (String name : all) {
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute("drop database if exists " + name + " with (force)");
            } catch (SQLException e) {
                System.err.println("could not drop database " + name + ": " + e.getMessage());
            }
        }
    }
}
