package jp.yui.server.infra;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.data.connection.jdbc.advice.ContextualAwareDataSource;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/**
 * Keeps the injected {@link DataSource} a plain connection pool. Micronaut Data JDBC would otherwise wrap it in a
 * proxy whose {@code getConnection()} only works inside {@code @Transactional} code and whose connections ignore
 * {@code close()}; the ledger and the server's hand-written SQL open, commit and close their own connections.
 * Micronaut Data's repositories and transaction manager unwrap the data source themselves, so they are unaffected.
 */
@Singleton
@Replaces(ContextualAwareDataSource.class)
final class PlainDataSource implements BeanCreatedEventListener<DataSource> {

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        return event.getBean();
    }
}
