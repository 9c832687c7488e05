package jp.yui.server.award;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Caller;
import jp.yui.server.region.Access;
import jp.yui.server.resident.Residents;

/** Volunteer claims: residents claim, coordinators (programme officers) approve or reject. */
@Controller("/regions/{regionId}/programmes/{programmeId}/claims")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class ClaimController {

    private final Claims claims;
    private final Residents residents;

    public ClaimController(Claims claims, Residents residents) {
        this.claims = claims;
        this.residents = residents;
    }

    /** The signed-in resident claims an activity for an event; claiming it again answers the same claim. */
    @Post
    public HttpResponse<AwardApi.Claim> create(long regionId, UUID programmeId, @Valid @Body AwardApi.CreateClaim request,
            Authentication authentication) {
        Caller caller = Caller.of(authentication);
        UUID resident = residents.residentOf(caller, regionId)
                .orElseThrow(() -> Problems.forbidden("claims are made by registered residents of the region"));
        return HttpResponse.created(claims.create(regionId, programmeId, resident, request));
    }

    @Get
    public List<AwardApi.Claim> list(long regionId, UUID programmeId, @Nullable @QueryValue String status,
            @QueryValue(defaultValue = "100") int limit, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.OFFICER, Access.ADMIN);
        if (status != null && !Set.of("PENDING", "APPROVED", "REJECTED").contains(status)) {
            throw Problems.badRequest("validation", "Invalid request", "status must be PENDING, APPROVED or REJECTED: " + status);
        }
        Problems.requireBetween("limit", limit, 1, 1_000);
        return claims.list(regionId, programmeId, status, limit);
    }

    @Post("/{claimId}/approve")
    public AwardApi.Claim approve(long regionId, UUID programmeId, UUID claimId, @Valid @Body @Nullable AwardApi.Decision decision,
            Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Access.require(caller, regionId, Access.OFFICER);
        return claims.approve(regionId, programmeId, claimId, decision == null ? null : decision.note(), caller.subject());
    }

    @Post("/{claimId}/reject")
    public AwardApi.Claim reject(long regionId, UUID programmeId, UUID claimId, @Valid @Body @Nullable AwardApi.Decision decision,
            Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Access.require(caller, regionId, Access.OFFICER);
        return claims.reject(regionId, programmeId, claimId, decision == null ? null : decision.note(), caller.subject());
    }
}
