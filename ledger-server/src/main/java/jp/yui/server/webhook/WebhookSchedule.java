package jp.yui.server.webhook;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link WebhookDispatcher} every {@code yui.webhooks.dispatch-interval} (default 1 s; one run at a time
 * per process, each process may run one). {@code yui.webhooks.dispatch: false} leaves this process out: tests that
 * drive delivery by hand with {@link WebhookDispatcher#deliverDue()}, or a server that should only take payments.
 */
@Singleton
@Requires(property = "yui.webhooks.dispatch", notEquals = "false")
class WebhookSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSchedule.class);

    private final WebhookDispatcher dispatcher;

    WebhookSchedule(WebhookDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Scheduled(fixedDelay = "${yui.webhooks.dispatch-interval:1s}", initialDelay = "${yui.webhooks.dispatch-interval:1s}")
    void run() {
        try {
            dispatcher.deliverDue();
        } catch (RuntimeException e) {
            // The database was unreachable; events stay PENDING and the next run tries again.
            LOG.warn("webhook dispatch failed; the next run tries again", e);
        }
    }
}
