package jp.yui.server.wallet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import jp.yui.server.infra.Caller;
import jp.yui.server.infra.Idempotency;
import jp.yui.server.region.Access;

/** Premium campaigns and the town's funds (finance). */
@Controller("/regions/{regionId}")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class CampaignController {

    private final Campaigns campaigns;
    private final Idempotency idempotency;

    public CampaignController(Campaigns campaigns, Idempotency idempotency) {
        this.campaigns = campaigns;
        this.idempotency = idempotency;
    }

    @Post("/campaigns")
    @Status(HttpStatus.CREATED)
    public WalletApi.Campaign create(long regionId, @Valid @Body WalletApi.CreateCampaign request, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.FINANCE);
        return campaigns.create(regionId, request);
    }

    @Get("/campaigns")
    public List<WalletApi.Campaign> list(long regionId, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.FINANCE, Access.CASHIER, Access.RESIDENT);
        return campaigns.list(regionId);
    }

    @Post("/campaigns/{campaignId}/budget")
    public HttpResponse<?> fundCampaign(long regionId, UUID campaignId, @Valid @Body WalletApi.Fund request,
            @Nullable @Header("Idempotency-Key") String key, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Access.require(caller, regionId, Access.FINANCE);
        return idempotency.run(regionId, caller.subject(), key, request,
                () -> HttpResponse.ok(campaigns.fundCampaign(regionId, campaignId, request.yen(), caller.subject(), key)));
    }

    @Post("/conversion-funding")
    public HttpResponse<?> fundConversion(long regionId, @Valid @Body WalletApi.Fund request,
            @Nullable @Header("Idempotency-Key") String key, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Access.require(caller, regionId, Access.FINANCE);
        return idempotency.run(regionId, caller.subject(), key, request,
                () -> HttpResponse.ok(campaigns.fundConversion(regionId, request.yen(), caller.subject(), key)));
    }

    @Get("/conversion-funding")
    public WalletApi.FundBalance conversionFunding(long regionId, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.FINANCE);
        return campaigns.conversionFunding(regionId);
    }
}
