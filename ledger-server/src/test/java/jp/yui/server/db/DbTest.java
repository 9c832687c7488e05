package jp.yui.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import jp.yui.server.infra.ServerSchema;
import jp.yui.testsupport.PostgresTest;
import org.junit.jupiter.api.Test;

@PostgresTest(template = ServerSchema.class)
class DbTest {

    private static String synchronousCommit(java.sql.Connection c) throws java.sql.SQLException {
        return Db.one(c, "show synchronous_commit", rs -> rs.getString(1)).orElseThrow();
    }

    @Test
    void withoutWaitingForFlush_turnsSynchronousCommitOffForItsTransactionOnly(DataSource dataSource) {
        Db db = new Db(dataSource);
        String before = db.read(DbTest::synchronousCommit);

        String inTransaction = db.tx(c -> {
            Db.update(c, "create table flush_test (x int)");
            Db.update(c, "insert into flush_test select 1 where " + Db.WITHOUT_WAITING_FOR_FLUSH);
            return synchronousCommit(c);
        });
        String afterwards = db.autoCommit(c -> {
            Db.update(c, "insert into flush_test select 2 where " + Db.WITHOUT_WAITING_FOR_FLUSH);
            return synchronousCommit(c);
        });

        assertThat(inTransaction).isEqualTo("off");
        assertThat(afterwards).as("a pooled connection is left as it was").isEqualTo(before);
        long rows = db.read(c -> Db.sum(c, "select count(*) from flush_test"));
        assertThat(rows).isEqualTo(2);
    }
}
