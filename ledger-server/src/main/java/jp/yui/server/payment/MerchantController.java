package jp.yui.server.payment;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import jp.yui.merchant.QrImages;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ApiKeys;
import jp.yui.server.infra.Caller;
import jp.yui.server.region.Access;

/** The town's shops (admin), their printed codes, their till keys, and the region's payment settings. */
@Controller("/regions/{regionId}")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class MerchantController {

    private final Merchants merchants;
    private final PaySettings settings;
    private final ApiKeys apiKeys;

    public MerchantController(Merchants merchants, PaySettings settings, ApiKeys apiKeys) {
        this.merchants = merchants;
        this.settings = settings;
        this.apiKeys = apiKeys;
    }

    @Post("/merchants")
    public HttpResponse<PaymentApi.Merchant> create(long regionId, @Valid @Body PaymentApi.CreateMerchant request,
            Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN);
        return HttpResponse.created(merchants.create(regionId, request));
    }

    @Get("/merchants")
    public List<PaymentApi.Merchant> list(long regionId, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.FINANCE);
        return merchants.list(regionId).stream().map(Merchants.Row::view).toList();
    }

    /** The shop (admin, finance, or the shop's own key). */
    @Get("/merchants/{merchantId}")
    public PaymentApi.Merchant get(long regionId, UUID merchantId, Authentication authentication) {
        requireShopOrStaff(Caller.of(authentication), regionId, merchantId);
        return merchants.require(regionId, merchantId).view();
    }

    /** The shop's printed code as SVG, to print at the till. */
    @Get("/merchants/{merchantId}/qr.svg")
    @Produces("image/svg+xml")
    public String svg(long regionId, UUID merchantId, @QueryValue(defaultValue = "480") int size,
            Authentication authentication) {
        requireShopOrStaff(Caller.of(authentication), regionId, merchantId);
        Problems.requireBetween("size", size, 64, QrImages.MAX_PNG_SIZE_PX);
        return QrImages.svg(merchants.require(regionId, merchantId).view().staticPayload(), size);
    }

    @Get("/merchants/{merchantId}/qr.png")
    @Produces(MediaType.IMAGE_PNG)
    public byte[] png(long regionId, UUID merchantId, @QueryValue(defaultValue = "480") int size,
            Authentication authentication) {
        requireShopOrStaff(Caller.of(authentication), regionId, merchantId);
        Problems.requireBetween("size", size, 64, QrImages.MAX_PNG_SIZE_PX);
        return QrImages.png(merchants.require(regionId, merchantId).view().staticPayload(), size);
    }

    /** A key for one of the shop's tills; shown once. */
    @Post("/merchants/{merchantId}/api-keys")
    public HttpResponse<PaymentApi.IssuedKey> issueKey(long regionId, UUID merchantId,
            @Valid @Body PaymentApi.CreateKey request, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN);
        merchants.require(regionId, merchantId);
        ApiKeys.IssuedKey key = apiKeys.issue(regionId, Access.MERCHANT, null, merchantId, request.name());
        return HttpResponse.created(new PaymentApi.IssuedKey(key.keyId(), key.apiKey()));
    }

    @Get("/payment-settings")
    public PaymentApi.Settings settings(long regionId, Authentication authentication) {
        Caller.of(authentication).requireRegion(regionId);
        return settings.get(regionId);
    }

    @Put("/payment-settings")
    public PaymentApi.Settings putSettings(long regionId, @Valid @Body PaymentApi.Settings request,
            Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN);
        return settings.put(regionId, request);
    }

    /**
     * The shop's own key, or the town's admin or finance staff; anyone else 403 (another shop's key learns nothing).
     */
    static void requireShopOrStaff(Caller caller, long regionId, UUID merchantId) {
        boolean own = caller.hasRole(Access.MERCHANT) && caller.regionId().map(r -> r == regionId).orElse(false)
                && caller.merchantId().map(merchantId::equals).orElse(false);
        if (!own && !Access.has(caller, regionId, Access.ADMIN, Access.FINANCE)) {
            throw Problems.forbidden("only the shop itself or the town's staff may see this shop");
        }
    }
}
