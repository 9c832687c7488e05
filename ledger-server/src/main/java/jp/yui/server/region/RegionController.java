package jp.yui.server.region;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import jp.yui.server.infra.Caller;

/** Towns: created by a platform admin, read by the town's staff. */
@Controller("/regions")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class RegionController {

    private final Regions regions;

    public RegionController(Regions regions) {
        this.regions = regions;
    }

    /** Creates a town with its assets and chart of accounts (idempotent: the same definition again answers it). */
    @Post
    @Status(HttpStatus.CREATED)
    public RegionApi.Region create(@Valid @Body RegionApi.CreateRegion request, Authentication authentication) {
        Access.requirePlatformAdmin(Caller.of(authentication));
        return regions.create(request);
    }

    /** The town, its assets and the accounts of its chart. */
    @Get("/{regionId}")
    public RegionApi.Region get(long regionId, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.OFFICER, Access.FINANCE, Access.CASHIER);
        return regions.view(regionId);
    }
}
