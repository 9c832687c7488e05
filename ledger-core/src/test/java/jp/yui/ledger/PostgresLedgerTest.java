package jp.yui.ledger;

import java.time.Clock;
import javax.sql.DataSource;
import jp.yui.testsupport.PostgresTest;
import org.junit.jupiter.api.BeforeAll;

/** The contract, held by the PostgreSQL ledger on a real database. */
@PostgresTest(template = LedgerSchema.class)
class PostgresLedgerTest extends LedgerContract {

    private static DataSource dataSource;

    @BeforeAll
    static void database(DataSource ds) {
        dataSource = ds;
    }

    @Override
    Ledger newLedger(Clock clock) {
        return PostgresLedger.open(dataSource, LedgerOptions.defaults().withClock(clock));
    }
}
