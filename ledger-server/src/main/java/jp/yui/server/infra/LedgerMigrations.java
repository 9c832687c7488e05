package jp.yui.server.infra;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import jp.yui.ledger.PostgresLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the ledger's own migrations ({@code classpath:db/yui-ledger}, history table
 * {@code ledger_schema_history}) when the default data source is created. Ordered first, so they run before
 * micronaut-flyway applies the server's ({@code classpath:db/server}, history table {@code flyway_schema_history}),
 * which may refer to the ledger's tables.
 */
@Singleton
@Order(Ordered.HIGHEST_PRECEDENCE)
final class LedgerMigrations implements BeanCreatedEventListener<DataSource> {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerMigrations.class);

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        if ("default".equals(event.getBeanIdentifier().getName())) {
            long start = System.nanoTime();
            PostgresLedger.migrate(event.getBean());
            LOG.info("Ledger schema is up to date ({} ms)", (System.nanoTime() - start) / 1_000_000);
        }
        return event.getBean();
    }
}
