package jp.yui.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

class TestDatabaseTest {

    /** Stays open for the whole class, to look at the server from outside the databases under test. */
    private static TestDatabase observer;

    @BeforeAll
    static void openObserver() {
        observer = TestDatabase.create(AccountsSchema.class);
    }

    @AfterAll
    static void closeObserver() {
        observer.close();
    }

    @Test
    void cloneHasTheTemplatesSchemaAndRows() throws SQLException {
        try (TestDatabase database = TestDatabase.create(AccountsSchema.class)) {
            assertThat(queryLong(database.dataSource(), "SELECT count(*) FROM account WHERE name = 'seed'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void clonesAreIndependent() throws SQLException {
        try (TestDatabase first = TestDatabase.create(AccountsSchema.class);
                TestDatabase second = TestDatabase.create(AccountsSchema.class)) {
            update(first.dataSource(), "INSERT INTO account (region_id, name) VALUES (1, 'only in first')");

            assertThat(first.name()).isNotEqualTo(second.name());
            assertThat(queryLong(first.dataSource(), "SELECT count(*) FROM account")).isEqualTo(2);
            assertThat(queryLong(second.dataSource(), "SELECT count(*) FROM account")).isEqualTo(1);
        }
    }

    @Test
    void templateIsBuiltOncePerJvm() {
        try (TestDatabase first = TestDatabase.create(AccountsSchema.class);
                TestDatabase second = TestDatabase.create(AccountsSchema.class)) {
            assertThat(first.name()).isNotEqualTo(second.name());
            assertThat(AccountsSchema.INITIALIZATIONS).hasValue(1);
        }
    }

    @Test
    void closeDropsTheDatabaseEvenWithConnectionsOpen() throws SQLException {
        TestDatabase database = TestDatabase.create(AccountsSchema.class);
        Connection leaked = database.dataSource().getConnection();
        assertThat(databaseExists(database.name())).isTrue();

        database.close();

        assertThat(databaseExists(database.name())).isFalse();
        assertThat(leaked.isValid(1)).isFalse();
        leaked.close();
    }

    @Test
    void closeTwiceDoesNothing() {
        TestDatabase database = TestDatabase.create(AccountsSchema.class);
        database.close();
        database.close();
    }

    @Test
    void dataSourceAfterCloseIsRefused() {
        TestDatabase database = TestDatabase.create(AccountsSchema.class);
        database.close();

        assertThatThrownBy(database::dataSource)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("test database " + database.name() + " is closed");
    }

    @Test
    void jdbcUrlUserAndPasswordReachTheSameDatabase() throws SQLException {
        try (TestDatabase database = TestDatabase.create(AccountsSchema.class)) {
            org.postgresql.ds.PGSimpleDataSource direct = new org.postgresql.ds.PGSimpleDataSource();
            direct.setURL(database.jdbcUrl());
            direct.setUser(database.user());
            direct.setPassword(database.password());

            assertThat(queryString(direct, "SELECT current_database()")).isEqualTo(database.name());
            assertThat(queryString(direct, "SELECT current_user")).isEqualTo(database.user());
        }
    }

    @Test
    void userOwnsTheTablesAndMayDisableTheirTriggers() throws SQLException {
        try (TestDatabase database = TestDatabase.create(AccountsSchema.class)) {
            DataSource dataSource = database.dataSource();
            assertThatThrownBy(() -> update(dataSource, "UPDATE account SET name = 'changed'"))
                    .hasMessageContaining("account rows are append-only");

            update(dataSource, "ALTER TABLE account DISABLE TRIGGER account_append_only");

            assertThat(update(dataSource, "UPDATE account SET name = 'changed'")).isEqualTo(1);
            assertThat(queryString(dataSource, "SELECT tableowner FROM pg_tables WHERE tablename = 'account'"))
                    .isEqualTo(database.user());
        }
    }

    @Test
    void databaseIsUtf8WithCCollation() throws SQLException {
        try (TestDatabase database = TestDatabase.create(AccountsSchema.class)) {
            assertThat(queryString(database.dataSource(),
                            "SELECT pg_encoding_to_char(encoding) || ' ' || datcollate || ' ' || datctype"
                                    + " FROM pg_database WHERE datname = current_database()"))
                    .isEqualTo("UTF8 C C");
            assertThat(queryString(database.dataSource(), "SELECT string_agg(s, '' ORDER BY s)"
                            + " FROM unnest(ARRAY['b', 'あ', 'B', 'a']) s"))
                    .isEqualTo("Bab" + "あ");
        }
    }

    @Test
    void startedServerIsPostgres17WithDurabilityDefaultsAndRoomForManyConnections() throws SQLException {
        assumeTrue(System.getenv(ExternalPostgres.URL) == null, "a server of one's own keeps its own settings");
        DataSource dataSource = observer.dataSource();

        assertThat(queryString(dataSource, "SHOW fsync")).isEqualTo("on");
        assertThat(queryString(dataSource, "SHOW synchronous_commit")).isEqualTo("on");
        assertThat(queryLong(dataSource, "SELECT current_setting('max_connections')::int")).isGreaterThanOrEqualTo(200);
        assertThat(queryLong(dataSource, "SELECT current_setting('server_version_num')::int / 10000")).isEqualTo(17);
    }

    @Test
    void fiftyConnectionsAtOnce() throws Exception {
        int threads = 50;
        try (TestDatabase database = TestDatabase.create(AccountsSchema.class)) {
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            CountDownLatch allConnected = new CountDownLatch(threads);
            try {
                List<Future<Long>> sessions = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    sessions.add(executor.submit(() -> {
                        try (Connection connection = database.dataSource().getConnection()) {
                            allConnected.countDown();
                            // Generous: a loaded machine opens 50 backends slowly; this checks they coexist, not speed.
                            assertThat(allConnected.await(3, TimeUnit.MINUTES))
                                    .as("all %d sessions open at once", threads).isTrue();
                            return queryLong(connection, "SELECT count(*) FROM pg_stat_activity"
                                    + " WHERE datname = current_database()");
                        }
                    }));
                }
                for (Future<Long> session : sessions) {
                    assertThat(session.get(4, TimeUnit.MINUTES)).isGreaterThanOrEqualTo(threads);
                }
            } finally {
                executor.shutdownNow();
            }
        }
    }

    @Test
    void concurrentCreatesGetDistinctWorkingDatabases() throws Exception {
        int threads = 8;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<TestDatabase> databases = new ArrayList<>();
        try {
            List<Future<TestDatabase>> created = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                created.add(executor.submit(() -> TestDatabase.create(AccountsSchema.class)));
            }
            for (Future<TestDatabase> future : created) {
                databases.add(future.get(60, TimeUnit.SECONDS));
            }
            Set<String> names = new HashSet<>();
            for (TestDatabase database : databases) {
                names.add(database.name());
                assertThat(queryLong(database.dataSource(), "SELECT count(*) FROM account")).isEqualTo(1);
            }
            assertThat(names).hasSize(threads);
        } finally {
            executor.shutdownNow();
            databases.forEach(TestDatabase::close);
        }
    }

    @Test
    void failingTemplateFailsEveryCreateAndLeavesNoDatabase() throws SQLException {
        assertThatThrownBy(() -> TestDatabase.create(FailingSchema.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("template " + FailingSchema.class.getName() + " failed to initialize")
                .rootCause()
                .hasMessageContaining("relation \"no_such_table\" does not exist");
        assertThatThrownBy(() -> TestDatabase.create(FailingSchema.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("template " + FailingSchema.class.getName() + " failed to initialize earlier in this JVM");

        assertThat(queryLong(observer.dataSource(),
                        "SELECT count(*) FROM pg_database WHERE datname LIKE '%failingschema%'"))
                .isZero();
    }

    @Test
    void templateThatLeaksAConnectionStillClones() throws SQLException {
        try (TestDatabase database = TestDatabase.create(LeakingSchema.class)) {
            assertThat(queryLong(database.dataSource(), "SELECT count(*) FROM leaked")).isZero();
        }
    }

    @Test
    void templatesWhoseClassesShareASimpleNameAreKeptApart() throws SQLException {
        try (TestDatabase first = TestDatabase.create(First.Schema.class);
                TestDatabase second = TestDatabase.create(Second.Schema.class)) {
            assertThat(queryString(first.dataSource(), "SELECT to_regclass('first')::text")).isEqualTo("first");
            assertThat(queryString(second.dataSource(), "SELECT to_regclass('second')::text")).isEqualTo("second");
        }
    }

    @Test
    void templateWithoutNoArgumentConstructorIsRefused() {
        assertThatThrownBy(() -> TestDatabase.create(NeedsArgumentSchema.class))
                .isInstanceOf(IllegalStateException.class)
                .cause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("template " + NeedsArgumentSchema.class.getName()
                        + " needs a constructor without parameters");
    }

    private static boolean databaseExists(String name) throws SQLException {
        try (Connection connection = observer.dataSource().getConnection();
                PreparedStatement statement =
                        connection.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
            statement.setString(1, name);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1) == 1;
            }
        }
    }

    static long queryLong(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return queryLong(connection, sql);
        }
    }

    static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    static String queryString(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    static int update(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    static final class FailingSchema implements DatabaseTemplate {
        @Override
        public void initialize(DataSource dataSource) throws SQLException {
            update(dataSource, "INSERT INTO no_such_table VALUES (1)");
        }
    }

    static final class LeakingSchema implements DatabaseTemplate {
        @Override
        @SuppressWarnings("resource")
        public void initialize(DataSource dataSource) throws SQLException {
            update(dataSource, "CREATE TABLE leaked (id int)");
            dataSource.getConnection().createStatement().execute("SELECT 1");
        }
    }

    static final class NeedsArgumentSchema implements DatabaseTemplate {
        NeedsArgumentSchema(String unused) {}

        @Override
        public void initialize(DataSource dataSource) {}
    }

    static final class First {
        static final class Schema implements DatabaseTemplate {
            @Override
            public void initialize(DataSource dataSource) throws SQLException {
                update(dataSource, "CREATE TABLE first (id int)");
            }
        }
    }

    static final class Second {
        static final class Schema implements DatabaseTemplate {
            @Override
            public void initialize(DataSource dataSource) throws SQLException {
                update(dataSource, "CREATE TABLE second (id int)");
            }
        }
    }
}
