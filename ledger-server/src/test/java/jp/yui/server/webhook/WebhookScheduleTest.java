package jp.yui.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.db.Db;
import org.junit.jupiter.api.Test;

/**
 * With the server's own settings (demo mode, scheduled dispatch), an event reaches the shop without anyone calling
 * the dispatcher: the schedule runs, and demo mode lets a shop try webhooks on its own machine over plain http.
 */
class WebhookScheduleTest extends WebhookServerTest {

    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = new HashMap<>(super.properties());
        p.remove("yui.webhooks.dispatch");
        p.remove("yui.webhooks.allow-insecure-loopback");
        p.put("yui.webhooks.dispatch-interval", "100ms");
        return p;
    }

    @Serdeable
    record Payout(UUID payoutId, long net) {
    }

    @Test
    void theScheduleDeliversWithoutBeingAsked() throws InterruptedException {
        Shop shop = newShop(newRegion());
        try (Receiver till = Receiver.answering(200)) {
            subscribe(shop, till.url("/hooks"));
            UUID eventId = applicationContext.getBean(Db.class).tx(c -> applicationContext.getBean(Webhooks.class)
                    .enqueue(c, shop.regionId(), shop.merchantId(), Webhooks.PAYOUT_PAID, new Payout(UUID.randomUUID(), 9_850)));

            // Waiting for the scheduler, not asserting on time: the deadline only bounds a broken schedule.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (till.received().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            assertThat(till.received()).extracting(r -> r.header(WebhookDispatcher.EVENT_ID_HEADER))
                    .containsExactly(eventId.toString());
        }
    }
}
