package jp.yui.server.wallet;

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
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Caller;
import jp.yui.server.infra.Idempotency;
import jp.yui.server.region.Access;
import jp.yui.server.resident.Residents;

/** A resident's wallet: what they hold, their statement, converting points, and charging the currency. */
@Controller("/regions/{regionId}/residents/{residentId}")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class WalletController {

    private final Residents residents;
    private final Wallets wallets;
    private final Conversions conversions;
    private final TopUps topUps;
    private final Idempotency idempotency;

    public WalletController(Residents residents, Wallets wallets, Conversions conversions, TopUps topUps,
            Idempotency idempotency) {
        this.residents = residents;
        this.wallets = wallets;
        this.conversions = conversions;
        this.topUps = topUps;
        this.idempotency = idempotency;
    }

    /** Balances per asset, split by source, with what expires when (the resident, or staff of the town). */
    @Get("/wallet")
    public WalletApi.Wallet wallet(long regionId, UUID residentId, Authentication authentication) {
        residents.requireSelfOrStaff(Caller.of(authentication), regionId, residentId, Access.ADMIN, Access.CASHIER,
                Access.OFFICER, Access.FINANCE);
        return wallets.wallet(regionId, residentId);
    }

    /** The statement of one asset with the running balance, oldest first; pass nextCursor as cursor for more. */
    @Get("/statement")
    public WalletApi.Statement statement(long regionId, UUID residentId, @QueryValue String asset,
            @QueryValue(defaultValue = "0") long cursor, @QueryValue(defaultValue = "50") int limit,
            Authentication authentication) {
        residents.requireSelfOrStaff(Caller.of(authentication), regionId, residentId, Access.ADMIN, Access.CASHIER,
                Access.FINANCE);
        Problems.requireBetween("limit", limit, 1, 1_000);
        return wallets.statement(regionId, residentId, asset, Math.max(0, cursor), limit);
    }

    /** The resident converts points into the local currency (only their own). */
    @Post("/conversions")
    public HttpResponse<?> convert(long regionId, UUID residentId, @Valid @Body WalletApi.Convert request,
            @Nullable @Header("Idempotency-Key") String key, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        boolean self = residents.residentOf(caller, regionId).map(residentId::equals).orElse(false);
        if (!self) {
            throw Problems.forbidden("only the resident converts their points");
        }
        return idempotency.run(regionId, caller.subject(), key, request, () -> HttpResponse.created(
                conversions.convert(regionId, residentId, request.programmeId(), request.points(), key)));
    }

    /** A cashier charges at the counter; finance or an integration records a bank transfer. */
    @Post("/topups")
    public HttpResponse<?> topUp(long regionId, UUID residentId, @Valid @Body WalletApi.TopUp request,
            @Nullable @Header("Idempotency-Key") String key, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        if (request.channel() == WalletApi.Channel.COUNTER) {
            Access.require(caller, regionId, Access.CASHIER);
        } else {
            Access.require(caller, regionId, Access.FINANCE, Access.INTEGRATION);
            // Only a bank-feed key (an integration bound to no programme or shop) reports bank transfers.
            if (!caller.hasRole(Access.FINANCE) && (caller.programmeId().isPresent() || caller.merchantId().isPresent())) {
                throw Problems.forbidden("this integration key is bound to a programme or shop; bank transfers come from "
                        + "finance or a bank-feed key");
            }
        }
        return idempotency.run(regionId, caller.subject(), key, request, () -> HttpResponse.created(
                topUps.topUp(regionId, residentId, request, key, caller.subject())));
    }
}
