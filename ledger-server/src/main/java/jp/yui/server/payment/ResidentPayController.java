package jp.yui.server.payment;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Caller;
import jp.yui.server.infra.Idempotency;
import jp.yui.server.region.Access;
import jp.yui.server.resident.Residents;

/**
 * The resident's side of paying: read a scanned shop code before confirming, pay it, show a code for the shop to
 * scan, and (with a cashier) set the printed card's PIN. A resident pays only from their own wallets.
 */
@Controller("/regions/{regionId}")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class ResidentPayController {

    private final Checkout checkout;
    private final CpmKeys cpmKeys;
    private final Cards cards;
    private final Residents residents;
    private final Idempotency idempotency;

    public ResidentPayController(Checkout checkout, CpmKeys cpmKeys, Cards cards, Residents residents,
            Idempotency idempotency) {
        this.checkout = checkout;
        this.cpmKeys = cpmKeys;
        this.cards = cards;
        this.residents = residents;
        this.idempotency = idempotency;
    }

    /** What a scanned shop code will pay, as the server holds it: show it, then confirm. */
    @Post("/qr/resolve")
    public PaymentApi.Resolved resolve(long regionId, @Valid @Body PaymentApi.Resolve request,
            Authentication authentication) {
        Caller.of(authentication).requireRegion(regionId);
        return checkout.resolve(regionId, request.payload());
    }

    @Post("/residents/{residentId}/payments")
    public HttpResponse<?> pay(long regionId, UUID residentId, @Valid @Body PaymentApi.PayCode request,
            @Nullable @Header(Idempotency.HEADER) String key, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        requireSelf(caller, regionId, residentId, "only the resident pays from their wallet");
        return idempotency.run(regionId, caller.subject(), key, request,
                () -> HttpResponse.created(checkout.payCode(regionId, residentId, request, key)));
    }

    /** A fresh code for the shop to scan (shown as a QR code; pays once, within a minute). */
    @Post("/residents/{residentId}/cpm-tokens")
    public HttpResponse<PaymentApi.CpmToken> token(long regionId, UUID residentId, Authentication authentication) {
        requireSelf(Caller.of(authentication), regionId, residentId, "only the resident shows their own code");
        return HttpResponse.created(cpmKeys.issue(regionId, residentId));
    }

    /** The region's public keys, for tills that check customer codes offline. */
    @Get("/cpm-keys")
    public PaymentApi.CpmKeys keys(long regionId, Authentication authentication) {
        Caller.of(authentication).requireRegion(regionId);
        return cpmKeys.publicKeys(regionId);
    }

    /** Sets the printed card's PIN: the resident, or a cashier at the counter (which also unlocks the card). */
    @Put("/residents/{residentId}/card/pin")
    public HttpResponse<?> setPin(long regionId, UUID residentId, @Valid @Body PaymentApi.SetPin request,
            Authentication authentication) {
        Caller caller = Caller.of(authentication);
        residents.requireSelfOrStaff(caller, regionId, residentId, Access.CASHIER);
        cards.setPin(regionId, residentId, request.pin(), Access.has(caller, regionId, Access.CASHIER));
        return HttpResponse.noContent();
    }

    private void requireSelf(Caller caller, long regionId, UUID residentId, String detail) {
        boolean self = residents.residentOf(caller, regionId).map(residentId::equals).orElse(false);
        if (!self) {
            throw Problems.forbidden(detail);
        }
    }
}
