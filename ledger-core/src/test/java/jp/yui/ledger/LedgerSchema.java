package jp.yui.ledger;

import javax.sql.DataSource;
import jp.yui.testsupport.DatabaseTemplate;

/** The template every ledger test database is cloned from: the ledger's own migrations. */
public final class LedgerSchema implements DatabaseTemplate {
    @Override
    public void initialize(DataSource dataSource) {
        PostgresLedger.migrate(dataSource);
    }
}
