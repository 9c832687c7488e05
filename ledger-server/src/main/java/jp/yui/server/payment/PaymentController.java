package jp.yui.server.payment;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Caller;
import jp.yui.server.infra.Idempotency;
import jp.yui.server.region.Access;
import jp.yui.server.resident.Residents;

/**
 * The shop's side of payments, called by its till through merchant-sdk with the shop's API key: payment intents
 * (dynamic codes), charging a customer's code, reading its payments and refunding them. A shop only ever sees its
 * own: another shop's payment or intent answers 404, as if it did not exist.
 */
@Controller("/regions/{regionId}")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class PaymentController {

    private final Intents intents;
    private final Checkout checkout;
    private final Payments payments;
    private final Refunds refunds;
    private final Merchants merchants;
    private final Residents residents;
    private final Idempotency idempotency;

    public PaymentController(Intents intents, Checkout checkout, Payments payments, Refunds refunds, Merchants merchants,
            Residents residents, Idempotency idempotency) {
        this.intents = intents;
        this.checkout = checkout;
        this.payments = payments;
        this.refunds = refunds;
        this.merchants = merchants;
        this.residents = residents;
        this.idempotency = idempotency;
    }

    @Post("/payment-intents")
    public HttpResponse<?> createIntent(long regionId, @Valid @Body PaymentApi.CreateIntent request,
            @Nullable @Header(Idempotency.HEADER) String key, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        UUID merchantId = shop(caller, regionId);
        return idempotency.run(regionId, caller.subject(), key, request,
                () -> HttpResponse.created(intents.create(regionId, merchantId, request, key)));
    }

    @Get("/payment-intents/{intentId}")
    public PaymentApi.Intent intent(long regionId, UUID intentId, Authentication authentication) {
        return intents.get(regionId, shop(Caller.of(authentication), regionId), intentId);
    }

    @Post("/payment-intents/{intentId}/cancel")
    public PaymentApi.Intent cancel(long regionId, UUID intentId, Authentication authentication) {
        return intents.cancel(regionId, shop(Caller.of(authentication), regionId), intentId);
    }

    /** The shop charges a customer's code: a CPM token, or a printed card with its PIN. */
    @Post("/payments")
    public HttpResponse<?> charge(long regionId, @Valid @Body PaymentApi.Charge request,
            @Nullable @Header(Idempotency.HEADER) String key, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        UUID merchantId = shop(caller, regionId);
        return idempotency.run(regionId, caller.subject(), key, request,
                () -> HttpResponse.created(checkout.charge(regionId, merchantId, request, key)));
    }

    /** A payment: to its shop (without the payer), to its payer, and to the town's finance staff and admins. */
    @Get("/payments/{paymentId}")
    public PaymentApi.Payment payment(long regionId, UUID paymentId, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Payments.Row row = payments.row(regionId, paymentId).filter(r -> r.status().equals("DONE"))
                .orElseThrow(() -> Problems.notFound("payment", paymentId));
        if (caller.hasRole(Access.MERCHANT)) {
            if (!row.merchantId().equals(shop(caller, regionId))) {
                throw Problems.notFound("payment", paymentId);
            }
            return Payments.merchantView(row);
        }
        boolean payer = residents.residentOf(caller, regionId).map(row.residentId()::equals).orElse(false);
        if (!payer && !Access.has(caller, regionId, Access.FINANCE, Access.ADMIN)) {
            throw Problems.notFound("payment", paymentId);
        }
        return Payments.fullView(row, merchants.require(regionId, row.merchantId()).name());
    }

    /** A shop's payments, newest first; finance and admins name the shop with {@code merchantId}. */
    @Get("/payments")
    public PaymentApi.Page<PaymentApi.Payment> list(long regionId, @Nullable @QueryValue UUID merchantId,
            @Nullable @QueryValue String from, @Nullable @QueryValue String to, @Nullable @QueryValue String cursor,
            @QueryValue(defaultValue = "50") int limit, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Problems.requireBetween("limit", limit, 1, 500);
        boolean staff = !caller.hasRole(Access.MERCHANT);
        UUID shop;
        if (staff) {
            Access.require(caller, regionId, Access.FINANCE, Access.ADMIN);
            if (merchantId == null) {
                throw Problems.badRequest("validation", "Invalid request", "merchantId is required");
            }
            merchants.require(regionId, merchantId);
            shop = merchantId;
        } else {
            shop = shop(caller, regionId);
            if (merchantId != null && !merchantId.equals(shop)) {
                throw Problems.forbidden("a shop lists only its own payments");
            }
        }
        return payments.list(regionId, shop, instant("from", from), instant("to", to), cursor, limit, staff,
                id -> merchants.require(regionId, id).name());
    }

    @Post("/payments/{paymentId}/refunds")
    public HttpResponse<?> refund(long regionId, UUID paymentId, @Valid @Body PaymentApi.CreateRefund request,
            @Nullable @Header(Idempotency.HEADER) String key, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        UUID merchantId = shop(caller, regionId);
        return idempotency.run(regionId, caller.subject(), key, request, () -> HttpResponse.created(
                refunds.refund(regionId, merchantId, paymentId, request, caller.subject(), key)));
    }

    /** The shop a merchant key acts for; anyone else 403. */
    static UUID shop(Caller caller, long regionId) {
        Access.require(caller, regionId, Access.MERCHANT);
        return caller.merchantId().orElseThrow(() -> Problems.forbidden("this key is bound to no shop"));
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.badRequest("validation", "Invalid request", name + " must be an ISO-8601 instant such as "
                    + "2026-11-01T00:00:00Z: " + value);
        }
    }
}
