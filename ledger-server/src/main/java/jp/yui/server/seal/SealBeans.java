package jp.yui.server.seal;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import jp.yui.ledger.PostgresJournal;

/** The ledger's journal with its hash chain, read on the server's data source (whose schema the ledger migrated). */
@Factory
final class SealBeans {

    @Singleton
    PostgresJournal journal(DataSource dataSource) {
        return PostgresJournal.on(dataSource);
    }
}
