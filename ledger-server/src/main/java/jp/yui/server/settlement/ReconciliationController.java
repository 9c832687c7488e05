package jp.yui.server.settlement;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import java.util.UUID;
import jp.yui.server.infra.Caller;
import jp.yui.server.region.Access;

/** Bank statement import and reconciliation, for the town's finance staff and admins only. */
@Controller("/regions/{regionId}")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class ReconciliationController {

    private final Reconciliation reconciliation;

    public ReconciliationController(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    /** Imports a statement (the same file again, or overlapping lines, add nothing) and matches what it can. */
    @Post("/bank-statements")
    public HttpResponse<SettlementApi.Imported> importStatement(long regionId,
            @Valid @Body SettlementApi.ImportStatement request, Authentication authentication) {
        Caller caller = finance(authentication, regionId);
        SettlementApi.Imported imported = reconciliation.importStatement(regionId, request, caller.subject());
        return imported.alreadyImported() ? HttpResponse.ok(imported) : HttpResponse.created(imported);
    }

    /** Both sides of what is not reconciled yet. */
    @Get("/reconciliation")
    public SettlementApi.Unmatched unmatched(long regionId, Authentication authentication) {
        finance(authentication, regionId);
        return reconciliation.unmatched(regionId);
    }

    /** A person matches a line, saying why. */
    @Post("/bank-lines/{lineId}/match")
    public SettlementApi.StatementLine match(long regionId, UUID lineId, @Valid @Body SettlementApi.ManualMatch request,
            Authentication authentication) {
        Caller caller = finance(authentication, regionId);
        return reconciliation.match(regionId, lineId, request, caller.subject());
    }

    private static Caller finance(Authentication authentication, long regionId) {
        Caller caller = Caller.of(authentication);
        Access.require(caller, regionId, Access.FINANCE, Access.ADMIN);
        return caller;
    }
}
