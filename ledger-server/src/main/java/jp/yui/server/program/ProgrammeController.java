package jp.yui.server.program;

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

/** Point programmes: officers set them up, finance appropriates their budgets, everyone in the town may read them. */
@Controller("/regions/{regionId}/programmes")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class ProgrammeController {

    private static final String[] READERS = {Access.ADMIN, Access.OFFICER, Access.FINANCE, Access.CASHIER,
        Access.RESIDENT, Access.INTEGRATION};

    private final Programmes programmes;
    private final Idempotency idempotency;

    public ProgrammeController(Programmes programmes, Idempotency idempotency) {
        this.programmes = programmes;
        this.idempotency = idempotency;
    }

    @Post
    @Status(HttpStatus.CREATED)
    public ProgrammeApi.Programme create(long regionId, @Valid @Body ProgrammeApi.CreateProgramme request,
            Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.OFFICER);
        return programmes.create(regionId, request);
    }

    @Get
    public List<ProgrammeApi.Programme> list(long regionId, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, READERS);
        return programmes.list(regionId);
    }

    @Get("/{programmeId}")
    public ProgrammeApi.Programme get(long regionId, UUID programmeId, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, READERS);
        return programmes.view(regionId, programmeId);
    }

    @Post("/{programmeId}/activities")
    @Status(HttpStatus.CREATED)
    public ProgrammeApi.Activity addActivity(long regionId, UUID programmeId, @Valid @Body ProgrammeApi.CreateActivity request,
            Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.OFFICER);
        return programmes.addActivity(regionId, programmeId, request);
    }

    /** Appropriates points to the programme's budget (finance); awards can never exceed what was appropriated. */
    @Post("/{programmeId}/budget")
    public HttpResponse<?> appropriate(long regionId, UUID programmeId, @Valid @Body ProgrammeApi.Appropriate request,
            @Nullable @Header("Idempotency-Key") String key, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Access.require(caller, regionId, Access.FINANCE, Access.ADMIN);
        return idempotency.run(regionId, caller.subject(), key, request,
                () -> HttpResponse.ok(programmes.appropriate(regionId, programmeId, request.points(), caller.subject(), key)));
    }

    @Get("/{programmeId}/budget")
    public ProgrammeApi.Budget budget(long regionId, UUID programmeId, Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.ADMIN, Access.OFFICER, Access.FINANCE);
        return programmes.budget(regionId, programmeId);
    }
}
