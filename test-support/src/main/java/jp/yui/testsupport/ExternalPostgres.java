package jp.yui.testsupport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** A server someone already runs, named by {@value #URL}: first in line, and shared with whoever else uses it. */
final class ExternalPostgres {

    static final String URL = "YUI_TEST_DATABASE_URL";
    static final String USER = "YUI_TEST_DATABASE_USER";
    static final String PASSWORD = "YUI_TEST_DATABASE_PASSWORD";

    private static final String SCHEME = "jdbc:postgresql://";

    private ExternalPostgres() {}

    /** The server named by the environment, or empty when {@value #URL} is unset or blank. */
    static Optional<PostgresServer> fromEnvironment(Map<String, String> environment) {
        String url = environment.get(URL);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parse(url.strip(), environment.get(USER), environment.get(PASSWORD)));
    }

    /**
     * Reads a server from a JDBC URL such as {@code jdbc:postgresql://localhost:5432/postgres?sslmode=disable}.
     *
     * @param url the URL; its database (default {@code postgres}) is where databases are created from; its
     *     parameters are kept on every URL handed out
     * @param user the user, or {@code null} to take {@code user} from the URL, else the OS user as psql does
     * @param password the password, or {@code null} to take {@code password} from the URL, else none
     * @throws IllegalArgumentException if {@code url} is not a {@code jdbc:postgresql://host...} URL
     */
    static PostgresServer parse(String url, String user, String password) {
        if (!url.startsWith(SCHEME)) {
            throw new IllegalArgumentException(
                    URL + " must start with " + SCHEME + ": " + PostgresServer.withoutQuery(url));
        }
        int queryStart = url.indexOf('?');
        String base = queryStart < 0 ? url : url.substring(0, queryStart);
        String query = queryStart < 0 ? "" : url.substring(queryStart);
        int slash = base.indexOf('/', SCHEME.length());
        String hosts = slash < 0 ? base.substring(SCHEME.length()) : base.substring(SCHEME.length(), slash);
        String path = slash < 0 ? "" : base.substring(slash + 1);
        // The driver wants the slash; it decodes the parameters, which may hold user and password.
        Properties properties = org.postgresql.Driver.parseURL(SCHEME + hosts + "/" + path + query, new Properties());
        if (hosts.isEmpty() || properties == null) {
            throw new IllegalArgumentException(
                    URL + " is not a jdbc:postgresql://host... URL: " + PostgresServer.withoutQuery(url));
        }
        // Not the driver's database: with none in the URL it takes the user's name, as libpq does.
        String database = URLDecoder.decode(path, StandardCharsets.UTF_8);
        return new PostgresServer(
                URL + " " + SCHEME + hosts + "/",
                SCHEME + hosts + "/",
                query,
                firstNonBlank(user, properties.getProperty("user"), System.getProperty("user.name")),
                firstNonBlank(password, properties.getProperty("password"), ""),
                database.isEmpty() ? "postgres" : database,
                true,
                () -> {});
    }

    private static String firstNonBlank(String first, String second, String otherwise) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        if (second != null && !second.isBlank()) {
            return second;
        }
        return otherwise;
    }
}
