package jp.yui.server.infra;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.event.BeanDestroyedEvent;
import io.micronaut.context.event.BeanDestroyedEventListener;
import io.micronaut.context.event.BeanInitializedEventListener;
import io.micronaut.context.event.BeanInitializingEvent;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the server's database. With {@code datasources.default.url} (env {@code DATASOURCES_DEFAULT_URL})
 * configured, that server is used as it is. Without, this starts an {@link EmbeddedDatabase} in
 * {@code yui.embedded-db.data-dir} and points the default data source at it, just before Hikari reads its settings.
 * Either way the log says which database the server runs on.
 *
 * <p>The embedded server stops when the application context stops, after every other bean: Micronaut destroys
 * beans that listen for bean destruction last, so the ledger's writers and the connection pool are closed by then.
 */
@Singleton
final class DatabaseSelector implements BeanInitializedEventListener<DatasourceConfiguration>,
        BeanDestroyedEventListener<DataSource> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSelector.class);
    private static final String DEFAULT = "default";

    private final Settings settings;
    private volatile EmbeddedDatabase embedded;

    DatabaseSelector(Settings settings) {
        this.settings = settings;
    }

    @Override
    public DatasourceConfiguration onInitialized(BeanInitializingEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        if (!DEFAULT.equals(config.getName())) {
            return config;
        }
        String url = config.getConfiguredUrl();
        if (url != null && !url.isBlank()) {
            LOG.info("Database: PostgreSQL at {} as {} (datasources.default.url)", withoutParameters(url),
                    config.getConfiguredUsername());
            return config;
        }
        EmbeddedDatabase database = startEmbedded();
        config.setUrl(database.jdbcUrl());
        config.setUsername(EmbeddedDatabase.USER);
        config.setPassword("");
        LOG.info("Database: {} (no datasources.default.url configured; set DATASOURCES_DEFAULT_URL,"
                + " DATASOURCES_DEFAULT_USERNAME and DATASOURCES_DEFAULT_PASSWORD to use another server)", database);
        return config;
    }

    private synchronized EmbeddedDatabase startEmbedded() {
        if (embedded == null) {
            Path directory = Path.of(settings.dataDir());
            LOG.info("Starting embedded PostgreSQL in {}", directory.toAbsolutePath().normalize());
            embedded = EmbeddedDatabase.start(directory, settings.port());
        }
        return embedded;
    }

    @Override
    public void onDestroyed(BeanDestroyedEvent<DataSource> event) {
        LOG.debug("Data source {} destroyed", event.getBeanDefinition().getBeanType().getName());
    }

    @PreDestroy
    synchronized void stopEmbedded() {
        if (embedded != null) {
            LOG.info("Stopping {}", embedded);
            embedded.close();
            embedded = null;
        }
    }

    private static String withoutParameters(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    /**
     * Where the embedded PostgreSQL keeps its data and which port it takes.
     *
     * @param dataDir the cluster's directory (env {@code YUI_EMBEDDED_DB_DATA_DIR}), default {@code ./yui-data}
     * @param port    the port on localhost (env {@code YUI_EMBEDDED_DB_PORT}), default 0: a free one
     */
    @ConfigurationProperties("yui.embedded-db")
    record Settings(@Bindable(defaultValue = "./yui-data") String dataDir, @Bindable(defaultValue = "0") int port) {
    }
}
