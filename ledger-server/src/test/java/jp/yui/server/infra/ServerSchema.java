package jp.yui.server.infra;

import javax.sql.DataSource;
import jp.yui.ledger.PostgresLedger;
import jp.yui.testsupport.DatabaseTemplate;
import org.flywaydb.core.Flyway;

/**
 * The template every server test database is cloned from: the ledger's migrations, then the server's, exactly as
 * the server applies them on start (so micronaut-flyway finds nothing left to do).
 */
public final class ServerSchema implements DatabaseTemplate {

    @Override
    public void initialize(DataSource dataSource) {
        PostgresLedger.migrate(dataSource);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/server")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
