package jp.yui.testsupport;

import static jp.yui.testsupport.TestDatabaseTest.queryLong;
import static jp.yui.testsupport.TestDatabaseTest.queryString;
import static jp.yui.testsupport.TestDatabaseTest.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@PostgresTest(template = AccountsSchema.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresExtensionTest {

    private static TestDatabase fromBeforeAll;

    private final DataSource fromConstructor;
    private TestDatabase fromBeforeEach;

    PostgresExtensionTest(DataSource dataSource) {
        this.fromConstructor = dataSource;
    }

    @BeforeAll
    static void rememberDatabase(TestDatabase database) {
        fromBeforeAll = database;
    }

    @BeforeEach
    void rememberDatabaseAgain(TestDatabase database) {
        fromBeforeEach = database;
    }

    @Test
    @Order(1)
    void everyInjectionPointSeesTheSameDatabase(TestDatabase database, DataSource dataSource) throws SQLException {
        assertThat(database).isSameAs(fromBeforeAll).isSameAs(fromBeforeEach);
        assertThat(dataSource).isSameAs(fromConstructor).isSameAs(database.dataSource());
        assertThat(queryString(dataSource, "SELECT current_database()")).isEqualTo(database.name());
    }

    @Test
    @Order(2)
    void injectedDatabaseIsClonedFromTheTemplate(DataSource dataSource) throws SQLException {
        assertThat(queryLong(dataSource, "SELECT count(*) FROM account")).isEqualTo(1);
        update(dataSource, "INSERT INTO account (region_id, name) VALUES (1, 'written by test 2')");
    }

    @Test
    @Order(3)
    void rowsStayForTheRestOfTheClass(DataSource dataSource) throws SQLException {
        assertThat(queryLong(dataSource, "SELECT count(*) FROM account")).isEqualTo(2);
    }

    @Nested
    class NestedClass {

        @Test
        void usesTheEnclosingClasssDatabase(TestDatabase database) {
            assertThat(database).isSameAs(fromBeforeAll);
        }
    }

    @Nested
    @PostgresTest(template = AccountsSchema.class)
    class AnnotatedNestedClass {

        @Test
        void getsADatabaseOfItsOwn(TestDatabase database) {
            assertThat(database.name()).isNotEqualTo(fromBeforeAll.name());
        }
    }
}
