package jp.yui.server.resident;

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
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Caller;
import jp.yui.server.region.Access;

/** Registering residents (by staff, or by the resident signed in with the town's OIDC) and their cards. */
@Controller("/regions/{regionId}/residents")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class ResidentController {

    private final Residents residents;

    public ResidentController(Residents residents) {
        this.residents = residents;
    }

    /** Staff register a resident; a card-only resident has no subject. */
    @Post
    @Status(HttpStatus.CREATED)
    public ResidentApi.Resident register(long regionId, @Valid @Body ResidentApi.Register request, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.OFFICER, Access.CASHIER);
        return residents.register(regionId, request.displayName(), request.subject());
    }

    /** The signed-in resident registers themself (again: the same resident). */
    @Post("/me")
    public ResidentApi.Resident registerSelf(long regionId, @Valid @Body ResidentApi.RegisterSelf request,
            Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Access.require(caller, regionId, Access.RESIDENT);
        if (caller.residentId().isPresent()) {
            return residents.require(regionId, caller.residentId().get());
        }
        return residents.registerSelf(regionId, caller.subject(), request.displayName());
    }

    @Get("/me")
    public ResidentApi.Resident me(long regionId, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        UUID id = residents.residentOf(caller, regionId)
                .orElseThrow(() -> Problems.notFound("resident for subject", caller.subject()));
        return residents.require(regionId, id);
    }

    @Get("/{residentId}")
    public ResidentApi.Resident get(long regionId, UUID residentId, Authentication authentication) {
        residents.requireSelfOrStaff(Caller.of(authentication), regionId, residentId, Access.ADMIN, Access.OFFICER,
                Access.CASHIER, Access.FINANCE);
        return residents.require(regionId, residentId);
    }

    /** The printable card code (shown to the resident and to staff only). */
    @Get("/{residentId}/card")
    public ResidentApi.Card card(long regionId, UUID residentId, Authentication authentication) {
        residents.requireSelfOrStaff(Caller.of(authentication), regionId, residentId, Access.ADMIN, Access.CASHIER);
        return residents.card(regionId, residentId);
    }
}
