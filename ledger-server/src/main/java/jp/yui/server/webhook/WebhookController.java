package jp.yui.server.webhook;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import java.util.Optional;
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Caller;
import jp.yui.server.payment.Merchants;
import jp.yui.server.region.Access;

/**
 * A shop's webhook: where its events go, and what became of them. Each route is for the shop's own merchant key or
 * an admin of the region; anyone else gets 403, the same whether or not the shop exists or has an endpoint.
 */
@Controller("/regions/{regionId}/merchants/{merchantId}/webhook")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class WebhookController {

    private final WebhookEndpoints endpoints;
    private final Merchants merchants;

    WebhookController(WebhookEndpoints endpoints, Merchants merchants) {
        this.endpoints = endpoints;
        this.merchants = merchants;
    }

    /** Sets the endpoint, replacing any before it, with a new secret (shown only here). */
    @Put
    public WebhookApi.Endpoint set(long regionId, UUID merchantId, @Valid @Body WebhookApi.SetEndpoint request,
            Authentication authentication) {
        requireShopOrAdmin(Caller.of(authentication), regionId, merchantId);
        merchants.require(regionId, merchantId);
        return endpoints.set(regionId, merchantId, request.url());
    }

    /** Removes the endpoint (if any); events not delivered yet are given up. */
    @Delete
    @Status(HttpStatus.NO_CONTENT)
    public void remove(long regionId, UUID merchantId, Authentication authentication) {
        requireShopOrAdmin(Caller.of(authentication), regionId, merchantId);
        endpoints.remove(regionId, merchantId);
    }

    /** The shop's most recent events (1 to 100, default 50), newest first, with how their delivery went. */
    @Get("/deliveries")
    public WebhookApi.Deliveries deliveries(long regionId, UUID merchantId,
            @QueryValue(defaultValue = "50") int limit, Authentication authentication) {
        requireShopOrAdmin(Caller.of(authentication), regionId, merchantId);
        Problems.requireBetween("limit", limit, 1, 100);
        return endpoints.deliveries(regionId, merchantId, limit);
    }

    private static void requireShopOrAdmin(Caller caller, long regionId, UUID merchantId) {
        caller.requireRegion(regionId);
        boolean ownShop = caller.hasRole(Access.MERCHANT) && caller.merchantId().equals(Optional.of(merchantId));
        if (!ownShop && !Access.has(caller, regionId, Access.ADMIN)) {
            throw Problems.forbidden("a shop's webhook is managed only with its own merchant key or by an admin of "
                    + "the region");
        }
    }
}
