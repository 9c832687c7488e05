package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import jp.yui.ledger.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server with no datasource configured: its own PostgreSQL, whose data outlives the process. */
class EmbeddedDatabaseTest {

    @TempDir
    Path temp;

    private static String query(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private ApplicationContext startServer(Path dataDir) {
        // No datasources.default.url: the server starts its embedded PostgreSQL.
        return ApplicationContext.run(Map.of("yui.embedded-db.data-dir", dataDir.toString()));
    }

    @Test
    void dataSurvivesARestart() throws Exception {
        Path dataDir = temp.resolve("yui-data");
        int port;
        try (ApplicationContext server = startServer(dataDir)) {
            server.getBean(Ledger.class).createRegion(7, "みやき町");
            DataSource dataSource = server.getBean(DataSource.class);
            port = Integer.parseInt(query(dataSource, "select current_setting('port')"));

            assertThat(query(dataSource, "show fsync")).isEqualTo("on");
            assertThat(query(dataSource, "show synchronous_commit")).isEqualTo("on");
            assertThat(query(dataSource, "show listen_addresses")).isEqualTo("localhost");
            assertThat(query(dataSource, "select current_database()")).isEqualTo(EmbeddedDatabase.DATABASE);
            assertThat(query(dataSource, "show server_encoding")).isEqualTo("UTF8");
            // Both migration histories: the ledger's, then the server's (with its baseline below V1).
            assertThat(query(dataSource, "select count(*) from ledger_schema_history where success")).isNotEqualTo("0");
            assertThat(query(dataSource, "select count(*) from flyway_schema_history where version = '1'"))
                    .isEqualTo("1");
            assertThat(query(dataSource, "select to_regclass('api_key')")).isEqualTo("api_key");
        }
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("localhost", port), 1_000))
                .as("PostgreSQL stopped with the server").isInstanceOf(ConnectException.class);

        try (ApplicationContext server = startServer(dataDir)) {
            DataSource dataSource = server.getBean(DataSource.class);
            assertThat(query(dataSource, "select name from ledger_region where region_id = 7")).isEqualTo("みやき町");
        }
    }

    @Test
    void startsOnAFixedPortAndStopsWhenClosed() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (EmbeddedDatabase database = EmbeddedDatabase.start(temp.resolve("fixed"), port)) {
            assertThat(database.port()).isEqualTo(port);
            assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + port + "/yui");
            assertThat(database.dataDirectory()).isEqualTo(temp.resolve("fixed").toAbsolutePath());
            try (Connection c = java.sql.DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "")) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("localhost", port), 1_000))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void startsAgainAfterAProcessDiedWithoutStoppingIt() throws Exception {
        Path dataDir = temp.resolve("crashed");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingServer.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals(CrashingServer.READY)) {
                // its log
            }
            assertThat(line).as("the child started PostgreSQL").isEqualTo(CrashingServer.READY);
            child.destroyForcibly().waitFor(); // kill -9: PostgreSQL is left running on the directory
        } finally {
            child.destroyForcibly();
        }

        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0);
             Connection c = java.sql.DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select note from crash")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("committed before the crash");
        }
    }

    /** Starts PostgreSQL on a directory, commits a row, says so, and waits to be killed. */
    static final class CrashingServer {
        static final String READY = "crashing-server-ready";

        public static void main(String[] args) throws Exception {
            EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]), 0);
            try (Connection c = java.sql.DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "");
                 Statement s = c.createStatement()) {
                s.execute("create table crash (note text)");
                s.execute("insert into crash values ('committed before the crash')");
            }
            System.out.println(READY);
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    @Test
    void refusesABadPort() {
        assertThatThrownBy(() -> EmbeddedDatabase.start(temp, 70_000))
                .hasMessage("port must be between 0 and 65535: 70000");
    }
}
