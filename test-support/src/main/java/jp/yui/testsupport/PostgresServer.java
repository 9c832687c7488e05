package jp.yui.testsupport;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A running PostgreSQL server on which the tests may create and drop databases, and how to stop it.
 *
 * @param source where the server came from, for the log
 * @param urlPrefix {@code jdbc:postgresql://host:port/}; a database name follows it
 * @param urlQuery {@code ""} or the parameters, from {@code ?}, every URL carries
 * @param user a user allowed to {@code CREATE DATABASE}
 * @param password the user's password; {@code ""} where the server does not check it
 * @param adminDatabase an existing database to connect to for {@code CREATE DATABASE} and {@code DROP DATABASE}
 * @param shared whether other processes use the server too, so that what these tests created must be dropped
 *     before the JVM exits
 * @param stopper stops the server; does nothing for a shared one
 */
record PostgresServer(
        String source,
        String urlPrefix,
        String urlQuery,
        String user,
        String password,
        String adminDatabase,
        boolean shared,
        AutoCloseable stopper) {

    PostgresServer {
        requireNonNull(source, "source");
        requireNonNull(urlPrefix, "urlPrefix");
        requireNonNull(urlQuery, "urlQuery");
        requireNonNull(user, "user");
        requireNonNull(password, "password");
        requireNonNull(adminDatabase, "adminDatabase");
        requireNonNull(stopper, "stopper");
        if (!urlPrefix.startsWith("jdbc:postgresql://") || !urlPrefix.endsWith("/")) {
            throw new IllegalArgumentException("urlPrefix must be jdbc:postgresql://host:port/: " + urlPrefix);
        }
        if (!urlQuery.isEmpty() && !urlQuery.startsWith("?")) {
            throw new IllegalArgumentException("urlQuery must be empty or start with '?': " + urlQuery);
        }
    }

    String jdbcUrl(String database) {
        return urlPrefix + database + urlQuery;
    }

    /** A data source that opens a new physical connection to {@code database} on every call. */
    PGSimpleDataSource unpooled(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl(database));
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setApplicationName("yui-test-support");
        return dataSource;
    }

    Connection admin() throws SQLException {
        return unpooled(adminDatabase).getConnection();
    }

    /** The URL without its parameters, which may hold a password: for messages and the log. */
    static String withoutQuery(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
    }
}
