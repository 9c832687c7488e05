package jp.yui.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs example classes through JUnit itself, to see what the extension does around them. */
class PostgresExtensionLifecycleTest {

    @Test
    void databaseIsDroppedAfterTheClass() throws SQLException {
        Example.seen.clear();

        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Example.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(2).succeeded(2));

        assertThat(Example.seen).hasSize(2);
        assertThat(Example.seen.get(0)).isEqualTo(Example.seen.get(1));
        try (TestDatabase observer = TestDatabase.create(AccountsSchema.class)) {
            assertThat(exists(observer, Example.seen.get(0))).isFalse();
        }
    }

    @Test
    void classThatInjectsNothingCreatesNoDatabase() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(InjectsNothing.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void parameterOutsideAPostgresTestClassIsNotResolved() {
        List<Throwable> failures = new ArrayList<>();
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(NotAnnotated.class))
                .execute()
                .testEvents()
                .failed()
                .stream()
                .forEach(event -> event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                        .ifPresent(failures::add));

        assertThat(failures).singleElement().satisfies(failure ->
                assertThat(failure).hasMessageContaining("No ParameterResolver registered for parameter"));
    }

    private static boolean exists(TestDatabase observer, String name) throws SQLException {
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

    @PostgresTest(template = AccountsSchema.class)
    static class Example {

        static final List<String> seen = new CopyOnWriteArrayList<>();

        @Test
        void first(TestDatabase database) {
            seen.add(database.name());
        }

        @Test
        void second(TestDatabase database) {
            seen.add(database.name());
        }
    }

    @PostgresTest(template = AccountsSchema.class)
    static class InjectsNothing {

        @Test
        void runs() {}
    }

    static class NotAnnotated {

        @Test
        void wantsADatabase(TestDatabase database) {}
    }
}
