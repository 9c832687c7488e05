package jp.yui.server.settlement;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Caller;
import jp.yui.server.region.Access;

/**
 * Settlement for the town's finance staff (and admins): settings, shops' bank accounts and fees, runs, the payout
 * file, confirming payouts. Shops read their own payouts. Residents, cashiers and other shops are refused.
 */
@Controller("/regions/{regionId}")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class SettlementController {

    private final Settlements settlements;
    private final SettlementSettings settings;
    private final Payouts payouts;
    private final PayoutFiles files;

    public SettlementController(Settlements settlements, SettlementSettings settings, Payouts payouts, PayoutFiles files) {
        this.settlements = settlements;
        this.settings = settings;
        this.payouts = payouts;
        this.files = files;
    }

    @Get("/settlement-settings")
    public SettlementApi.Settings settings(long regionId, Authentication authentication) {
        finance(authentication, regionId);
        return settings.require(regionId);
    }

    @Put("/settlement-settings")
    public SettlementApi.Settings putSettings(long regionId, @Valid @Body SettlementApi.Settings request,
            Authentication authentication) {
        finance(authentication, regionId);
        return settings.put(regionId, request);
    }

    @Put("/merchants/{merchantId}/bank-account")
    public SettlementApi.BankAccount putBankAccount(long regionId, UUID merchantId,
            @Valid @Body SettlementApi.BankAccount request, Authentication authentication) {
        finance(authentication, regionId);
        return settings.putBankAccount(regionId, merchantId, request);
    }

    @Put("/merchants/{merchantId}/fee")
    public SettlementApi.Fee putFee(long regionId, UUID merchantId, @Valid @Body SettlementApi.Fee request,
            Authentication authentication) {
        finance(authentication, regionId);
        settings.putFee(regionId, merchantId, request.feeRateBasisPoints());
        return request;
    }

    /** The shop pays the region's fee again; 204 whether or not it had a fee of its own. */
    @Delete("/merchants/{merchantId}/fee")
    @Status(HttpStatus.NO_CONTENT)
    public void clearFee(long regionId, UUID merchantId, Authentication authentication) {
        finance(authentication, regionId);
        settings.clearFee(regionId, merchantId);
    }

    /** Runs settlement for a closed period; the same period again answers the same run. */
    @Post("/settlements")
    public HttpResponse<SettlementApi.Run> run(long regionId, @Valid @Body SettlementApi.CreateRun request,
            Authentication authentication) {
        Caller caller = finance(authentication, regionId);
        return HttpResponse.created(settlements.run(regionId, request, caller.subject()));
    }

    @Get("/settlements")
    public List<SettlementApi.RunSummary> runs(long regionId, Authentication authentication) {
        finance(authentication, regionId);
        return settlements.list(regionId);
    }

    @Get("/settlements/{settlementId}")
    public SettlementApi.Run runView(long regionId, UUID settlementId, Authentication authentication) {
        finance(authentication, regionId);
        return settlements.view(regionId, settlementId);
    }

    /** The run's Zengin 総合振込 file (Shift_JIS, 120-byte records), to upload to the town's bank. */
    @Get("/settlements/{settlementId}/zengin")
    public HttpResponse<byte[]> zengin(long regionId, UUID settlementId, Authentication authentication) {
        finance(authentication, regionId);
        PayoutFiles.File file = files.zengin(regionId, settlementId);
        return HttpResponse.ok(file.bytes()).contentType(MediaType.of("text/plain; charset=Shift_JIS"))
                .header("Content-Disposition", "attachment; filename=\"" + file.name() + "\"")
                .header("X-Record-Count", Integer.toString(file.rows())).header("X-Total-Yen", Long.toString(file.total()));
    }

    /** Finance confirms by hand that the bank paid a payout (the statement import does it when it matches a line). */
    @Post("/payouts/{payoutId}/paid")
    public SettlementApi.Payout markPaid(long regionId, UUID payoutId, @Valid @Body SettlementApi.MarkPaid request,
            Authentication authentication) {
        Caller caller = finance(authentication, regionId);
        if (request.note() == null || request.note().isBlank()) {
            throw Problems.badRequest("validation", "Invalid request", "note is required: say how the payment was confirmed");
        }
        return payouts.markPaid(regionId, payoutId, caller.subject(), request.note(), null);
    }

    /** A shop's payouts: the shop's own key, or finance and admins. */
    @Get("/merchants/{merchantId}/payouts")
    public SettlementApi.Page<SettlementApi.Payout> merchantPayouts(long regionId, UUID merchantId,
            @Nullable @QueryValue String cursor, @QueryValue(defaultValue = "50") int limit, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        boolean own = caller.hasRole(Access.MERCHANT) && caller.regionId().map(r -> r == regionId).orElse(false)
                && caller.merchantId().map(merchantId::equals).orElse(false);
        if (!own && !Access.has(caller, regionId, Access.FINANCE, Access.ADMIN)) {
            throw Problems.forbidden("only the shop itself or the town's finance staff see its payouts");
        }
        Problems.requireBetween("limit", limit, 1, 500);
        return payouts.list(regionId, merchantId, cursor, limit);
    }

    /** The calling shop's own payouts (a merchant key: the key says which shop). */
    @Get("/payouts")
    public SettlementApi.Page<SettlementApi.Payout> ownPayouts(long regionId, @Nullable @QueryValue String cursor,
            @QueryValue(defaultValue = "50") int limit, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Access.require(caller, regionId, Access.MERCHANT);
        UUID merchantId = caller.merchantId().orElseThrow(() -> Problems.forbidden("this key is bound to no shop"));
        Problems.requireBetween("limit", limit, 1, 500);
        return payouts.list(regionId, merchantId, cursor, limit);
    }

    private static Caller finance(Authentication authentication, long regionId) {
        Caller caller = Caller.of(authentication);
        Access.require(caller, regionId, Access.FINANCE, Access.ADMIN);
        return caller;
    }
}
