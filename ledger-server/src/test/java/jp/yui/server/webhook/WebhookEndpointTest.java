package jp.yui.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jp.yui.server.db.Db;
import jp.yui.server.infra.ApiKeys;
import jp.yui.server.infra.Problem;
import jp.yui.server.infra.ProblemTypes;
import jp.yui.server.infra.Roles;
import org.junit.jupiter.api.Test;

/** Setting a shop's webhook endpoint: only the shop's own key or an admin of its region, and only to safe URLs. */
class WebhookEndpointTest extends WebhookServerTest {

    private static final String SECRET = "whsec_[A-Za-z0-9_-]{43}";

    private Map<String, Object> ok(MutableHttpRequest<?> request) {
        return http().retrieve(request, Argument.mapOf(String.class, Object.class));
    }

    private Problem refused(MutableHttpRequest<?> request) {
        HttpClientResponseException[] caught = new HttpClientResponseException[1];
        assertThatThrownBy(() -> http().exchange(request, String.class))
                .isInstanceOfSatisfying(HttpClientResponseException.class, e -> caught[0] = e);
        return problem(caught[0]);
    }

    private static MutableHttpRequest<Map<String, String>> put(Shop shop, String url) {
        return HttpRequest.PUT(shop.path(""), Map.of("url", url));
    }

    /** The endpoint as stored: url and secret, if any. */
    private Optional<List<String>> stored(Shop shop) {
        return applicationContext.getBean(Db.class).read(c -> Db.one(c, "select url, secret from webhook_endpoint "
                + "where region_id = ? and merchant_id = ?", rs -> List.of(rs.getString(1), rs.getString(2)),
                shop.regionId(), shop.merchantId()));
    }

    @Test
    void theShopsOwnKeySetsItsEndpointWithANewSecretEachTime() {
        Shop shop = newShop(newRegion());

        Map<String, Object> first = ok(withKey(put(shop, "https://shop.example.jp/hooks/yui"), shop));
        Map<String, Object> second = ok(withKey(put(shop, "https://shop.example.jp/hooks/v2"), shop));

        assertThat(first).containsEntry("url", "https://shop.example.jp/hooks/yui").containsOnlyKeys("url", "secret");
        assertThat((String) first.get("secret")).matches(SECRET);
        assertThat(second).containsEntry("url", "https://shop.example.jp/hooks/v2");
        assertThat((String) second.get("secret")).matches(SECRET).isNotEqualTo(first.get("secret"));
        assertThat(stored(shop)).contains(List.of("https://shop.example.jp/hooks/v2", (String) second.get("secret")));
    }

    @Test
    void anAdminOfTheRegionManagesAShopsEndpoint() {
        long region = newRegion();
        Shop shop = newShop(region);
        String platform = token("platform-admin", List.of(Roles.ADMIN), null, null);

        assertThat(ok(put(shop, "https://shop.example.jp/a").bearerAuth(shop.admin()))).containsKey("secret");
        assertThat(ok(put(shop, "https://shop.example.jp/b").bearerAuth(platform))).containsKey("secret");
        assertThat(http().exchange(HttpRequest.DELETE(shop.path("")).bearerAuth(shop.admin())).code()).isEqualTo(204);

        assertThat(stored(shop)).isEmpty();
    }

    @Test
    void anotherShopAResidentOrStaffOtherThanAdminsAreRefused() {
        long region = newRegion();
        Shop shop = newShop(region);
        Shop neighbour = newShop(region);
        ok(withKey(put(shop, "https://shop.example.jp/hooks"), shop));
        Optional<List<String>> before = stored(shop);
        // The same shop id in another region is another shop.
        long otherRegion = newRegion();
        Shop elsewhere = new Shop(otherRegion, shop.merchantId(), applicationContext.getBean(ApiKeys.class)
                .issue(otherRegion, Roles.MERCHANT, null, shop.merchantId(), "till").apiKey(), null);
        List<MutableHttpRequest<?>> attempts = List.of(
                withKey(put(shop, "https://evil.example/steal"), neighbour),
                withKey(put(shop, "https://evil.example/steal"), elsewhere),
                put(shop, "https://evil.example/steal").bearerAuth(token("r", List.of(Roles.RESIDENT), region, UUID.randomUUID())),
                put(shop, "https://evil.example/steal").bearerAuth(token("f", List.of(Roles.FINANCE), region, null)),
                put(shop, "https://evil.example/steal").bearerAuth(token("a", List.of(Roles.ADMIN), otherRegion, null)),
                withKey(HttpRequest.DELETE(shop.path("")), neighbour),
                withKey(HttpRequest.GET(shop.path("/deliveries")), neighbour),
                HttpRequest.GET(shop.path("/deliveries")).bearerAuth(token("c", List.of(Roles.CASHIER), region, null)));

        for (MutableHttpRequest<?> attempt : attempts) {
            Problem p = refused(attempt);
            assertThat(p.status()).as(attempt.toString()).isEqualTo(403);
            assertThat(p.type()).isEqualTo(ProblemTypes.FORBIDDEN);
        }
        // A shop that has no endpoint at all is refused the same way: nothing tells whether it exists.
        Shop bare = newShop(region);
        assertThat(refused(withKey(HttpRequest.GET(bare.path("/deliveries")), neighbour)).status()).isEqualTo(403);
        assertThat(refused(put(shop, "https://evil.example/steal")).status()).isEqualTo(401);
        assertThat(stored(shop)).isEqualTo(before);
    }

    @Test
    void unsafeOrMalformedUrlsAreRefusedAsValidationProblems() {
        Shop shop = newShop(newRegion());
        Map<String, String> cases = Map.of(
                "http://shop.example.jp/hooks", "url must use https (plain http is allowed only to this machine, in "
                        + "tests and demo mode): http://shop.example.jp/hooks",
                "ftp://shop.example.jp/hooks", "url must use https, not ftp: ftp://shop.example.jp/hooks",
                "https://shop example/hooks", "url is not a valid URL (Illegal character in authority): https://shop example/hooks",
                "https://169.254.169.254/latest/meta-data", "url must point at a public host, not the private or "
                        + "reserved address 169.254.169.254");

        cases.forEach((url, detail) -> {
            Problem p = refused(withKey(put(shop, url), shop));
            assertThat(p.status()).as(url).isEqualTo(400);
            assertThat(p.type()).as(url).isEqualTo(ProblemTypes.VALIDATION);
            assertThat(p.detail()).as(url).isEqualTo(detail);
        });
        Problem blank = refused(withKey(HttpRequest.PUT(shop.path(""), Map.of("url", " ")), shop));
        assertThat(blank.type()).isEqualTo(ProblemTypes.VALIDATION);
        assertThat(blank.errors()).extracting(Problem.FieldError::field).containsExactly("url");
        assertThat(stored(shop)).isEmpty();
    }

    @Test
    void aRegionThatDoesNotExistIsNotFound() {
        Shop ghost = new Shop(987_654, UUID.randomUUID(), null, null);
        String platform = token("platform-admin", List.of(Roles.ADMIN), null, null);

        Problem p = refused(put(ghost, "https://shop.example.jp/hooks").bearerAuth(platform));

        assertThat(p.status()).isEqualTo(404);
        assertThat(p.type()).isEqualTo(ProblemTypes.NOT_FOUND);
    }

    @Test
    void theDeliveriesLimitIsBounded() {
        Shop shop = newShop(newRegion());

        assertThat(ok(withKey(HttpRequest.GET(shop.path("/deliveries")), shop))).isEqualTo(Map.of("items", List.of()));
        for (String limit : List.of("0", "101")) {
            Problem p = refused(withKey(HttpRequest.GET(shop.path("/deliveries?limit=" + limit)), shop));
            assertThat(p.type()).isEqualTo(ProblemTypes.VALIDATION);
            assertThat(p.detail()).isEqualTo("limit must be between 1 and 100: " + limit);
        }
    }
}
