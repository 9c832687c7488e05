package jp.yui.server.infra;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.inject.Singleton;
import java.time.Clock;
import javax.sql.DataSource;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.LedgerOptions;
import jp.yui.ledger.PostgresLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's shared beans: its {@link Clock} (system UTC; a test replaces it with {@code @Replaces(Clock.class)})
 * and the {@link Ledger} on the default data source, closed on shutdown (queued transfers are written first).
 */
@Factory
final class CoreBeans {

    private static final Logger LOG = LoggerFactory.getLogger(CoreBeans.class);

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The ledger; its schema was migrated when the data source was created ({@link LedgerMigrations}). */
    @Singleton
    @Bean(preDestroy = "close")
    Ledger ledger(DataSource dataSource, Clock clock, LedgerSettings settings) {
        LedgerOptions options = new LedgerOptions(clock, settings.maxBatch(), settings.queueCapacity(),
                settings.writerThreads());
        LOG.info("Ledger open: batches of up to {} transfers, {} queued per region, {} writer threads",
                options.maxBatch(), options.queueCapacity(), options.writerThreads());
        return PostgresLedger.open(dataSource, options);
    }

    /**
     * The ledger's writer settings ({@link LedgerOptions}).
     *
     * @param maxBatch      most transfers one writer batch commits ({@code YUI_LEDGER_MAX_BATCH}), default 2000
     * @param queueCapacity most transfers waiting per region before 503 ({@code YUI_LEDGER_QUEUE_CAPACITY}),
     *                      default 100000
     * @param writerThreads threads running region writers ({@code YUI_LEDGER_WRITER_THREADS}), default 4
     */
    @ConfigurationProperties("yui.ledger")
    record LedgerSettings(
            @Bindable(defaultValue = "2000") int maxBatch,
            @Bindable(defaultValue = "100000") int queueCapacity,
            @Bindable(defaultValue = "4") int writerThreads) {
    }
}
