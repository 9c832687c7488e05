package jp.yui.server.webhook;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How webhooks are delivered ({@code yui.webhooks.*}). The schedule itself is set by {@code yui.webhooks.dispatch}
 * (false: this process delivers nothing on its own) and {@code yui.webhooks.dispatch-interval} (default 1 s), read
 * by {@link WebhookSchedule}. The retry policy (10 s doubling up to 1 h, for 3 days) is part of the published
 * contract and not a setting.
 *
 * @param timeout               how long one delivery may take, from connecting to the receiver's answer
 *                              ({@code YUI_WEBHOOKS_TIMEOUT}), default 10 s
 * @param lease                 how long a claimed event stays hidden from other dispatchers; if the claiming process
 *                              dies, the event is retried after this ({@code YUI_WEBHOOKS_LEASE}), default 60 s, at
 *                              least the timeout + 10 s
 * @param batchSize             most events of one region claimed and sent at once ({@code YUI_WEBHOOKS_BATCH_SIZE}),
 *                              default 20
 * @param allowInsecureLoopback whether a shop may register {@code http://} URLs to this machine (127.0.0.1,
 *                              {@code localhost}); for tests and demo mode only ({@code YUI_WEBHOOKS_ALLOW_INSECURE_LOOPBACK})
 */
@ConfigurationProperties("yui.webhooks")
record WebhookSettings(
        @Bindable(defaultValue = "10s") Duration timeout,
        @Bindable(defaultValue = "60s") Duration lease,
        @Bindable(defaultValue = "20") int batchSize,
        @Bindable(defaultValue = "false") boolean allowInsecureLoopback) {

    static final Duration MIN_LEASE_MARGIN = Duration.ofSeconds(10);

    WebhookSettings {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("yui.webhooks.timeout must be > 0: " + timeout);
        }
        // The lease covers a whole batch (sent in parallel, each cut off a little after the timeout) and recording
        // its outcomes; a shorter one would let a second dispatcher send an event that is still being sent.
        if (lease.compareTo(timeout.plus(MIN_LEASE_MARGIN)) < 0) {
            throw new IllegalArgumentException("yui.webhooks.lease must be at least yui.webhooks.timeout ("
                    + timeout + ") + " + MIN_LEASE_MARGIN.toSeconds() + " s: " + lease);
        }
        if (batchSize < 1 || batchSize > 1_000) {
            throw new IllegalArgumentException("yui.webhooks.batch-size must be between 1 and 1000: " + batchSize);
        }
    }
}
