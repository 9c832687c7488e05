package jp.yui.server.webhook;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import jp.yui.server.ServerTest;
import jp.yui.server.infra.ApiKeys;
import jp.yui.server.infra.Roles;

/**
 * Webhook tests' server: demo tokens, no demo town, no scheduled dispatch (tests call
 * {@link WebhookDispatcher#deliverDue()} themselves), and http to 127.0.0.1 allowed for the {@link Receiver}.
 */
abstract class WebhookServerTest extends ServerTest {

    private static final AtomicLong REGIONS = new AtomicLong(500);

    @Override
    protected Map<String, String> properties() {
        return Map.of("yui.demo.seed", "false", "yui.expiry.initial-delay", "1h", "yui.reconcile.initial-delay", "1h",
                "yui.webhooks.dispatch", "false", "yui.webhooks.allow-insecure-loopback", "true");
    }

    /** A shop: its region, its id, its merchant key, and a token of an admin of the region. */
    record Shop(long regionId, UUID merchantId, String apiKey, String admin) {
        String path(String rest) {
            return "/regions/" + regionId + "/merchants/" + merchantId + "/webhook" + rest;
        }
    }

    /** A new region with a platform admin's token, as staff would create it. */
    protected long newRegion() {
        long id = REGIONS.incrementAndGet();
        String platform = token("platform-admin", List.of(Roles.ADMIN), null, null);
        http().retrieve(post("/regions", Map.of("regionId", id, "name", "みやき町", "zone", "Asia/Tokyo",
                "currency", Map.of("code", "MIYAKI-PAY"), "points", List.of()), platform));
        return id;
    }

    protected Shop newShop(long regionId) {
        String admin = token("admin-" + regionId, List.of(Roles.ADMIN), regionId, null);
        UUID merchantId = UUID.fromString((String) http().retrieve(post("/regions/" + regionId + "/merchants", Map.of(
                "name", "Shop", "category", "5411", "city", "Miyaki"), admin), Argument.mapOf(String.class, Object.class))
                .get("merchantId"));
        String key = applicationContext.getBean(ApiKeys.class).issue(regionId, Roles.MERCHANT, null, merchantId, "till")
                .apiKey();
        return new Shop(regionId, merchantId, key, admin);
    }

    /** A request with the shop's merchant key. */
    protected static <T> MutableHttpRequest<T> withKey(MutableHttpRequest<T> request, Shop shop) {
        return request.header(ApiKeys.HEADER, shop.apiKey());
    }

    /** Sets the shop's endpoint with its own key; answers the new secret. */
    protected String subscribe(Shop shop, String url) {
        Map<String, Object> endpoint = http().retrieve(withKey(HttpRequest.PUT(shop.path(""), Map.of("url", url)), shop),
                Argument.mapOf(String.class, Object.class));
        return (String) endpoint.get("secret");
    }
}
