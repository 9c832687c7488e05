package jp.yui.server.expiry;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Caller;
import jp.yui.server.region.Access;

/** Sweeping expired value now (it also runs on a schedule) and listing residents to notify before value expires. */
@Controller("/regions/{regionId}")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class ExpiryController {

    private final Expiry expiry;

    public ExpiryController(Expiry expiry) {
        this.expiry = expiry;
    }

    @Post("/expiry-sweeps")
    public ExpiryApi.Sweep sweep(long regionId, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.FINANCE);
        return expiry.sweep(regionId);
    }

    @Get("/expiry-notices")
    public ExpiryApi.Notices notices(long regionId, @QueryValue(defaultValue = "30") int withinDays,
            @QueryValue(defaultValue = "0") long cursor, @QueryValue(defaultValue = "100") int limit,
            Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.OFFICER, Access.FINANCE);
        Problems.requireBetween("withinDays", withinDays, 1, 366);
        Problems.requireBetween("limit", limit, 1, 1_000);
        return expiry.notices(regionId, withinDays, cursor, limit);
    }
}
