package jp.yui.server.award;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
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
import jp.yui.server.program.Programmes;
import jp.yui.server.region.Access;

/**
 * Awarding points: one by one (programme officers, and integrations such as a step-counter backend bound to the
 * programme) or in bulk from CSV (programme officers).
 */
@Controller("/regions/{regionId}/programmes/{programmeId}")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class AwardController {

    private final Awards awards;
    private final AwardImports imports;
    private final Idempotency idempotency;
    private final Programmes programmes;

    public AwardController(Awards awards, AwardImports imports, Idempotency idempotency, Programmes programmes) {
        this.awards = awards;
        this.imports = imports;
        this.idempotency = idempotency;
        this.programmes = programmes;
    }

    /**
     * Awards an activity's points to a resident for an event: 201 when awarded now, 200 with the earlier award
     * when this resident already got it for this event.
     */
    @Post("/awards")
    public HttpResponse<?> award(long regionId, UUID programmeId, @Valid @Body AwardApi.CreateAward request,
            @Nullable @Header("Idempotency-Key") String key, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        requireAwarder(caller, regionId, programmeId);
        if (programmes.requireActivity(regionId, programmeId, request.activityCode()).requiresApproval()
                && !Access.has(caller, regionId, Access.OFFICER)) {
            throw Problems.forbidden("activity " + request.activityCode() + " is awarded through claims an officer approves");
        }
        return idempotency.run(regionId, caller.subject(), key, request, () -> {
            Awards.Outcome o = awards.award(regionId, programmeId, request.residentId(), request.activityCode(),
                    request.eventId(), caller.subject());
            return o.created() ? HttpResponse.created(o.award()) : HttpResponse.ok(o.award());
        });
    }

    /**
     * Starts a bulk award from CSV ({@code resident_id,activity_code,event_id}, UTF-8, a BOM is fine): 202 with the
     * import, whose progress and per-row outcomes {@code GET …/award-imports/{importId}} shows. A malformed file is
     * refused whole (400, every bad line listed).
     */
    @Post(value = "/award-imports", consumes = {"text/csv", MediaType.TEXT_PLAIN})
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    public HttpResponse<?> startImport(long regionId, UUID programmeId, @Body String csv,
            @Nullable @Header("Idempotency-Key") String key, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        Access.require(caller, regionId, Access.OFFICER);
        return idempotency.run(regionId, caller.subject(), key, csv,
                () -> HttpResponse.accepted().body(imports.start(regionId, programmeId, csv, caller.subject())));
    }

    @Get("/award-imports/{importId}")
    public AwardApi.Import importStatus(long regionId, UUID programmeId, UUID importId,
            @QueryValue(defaultValue = "0") int afterLine, @QueryValue(defaultValue = "100") int limit,
            Authentication authentication) {
        Access.require(Caller.of(authentication), regionId, Access.OFFICER, Access.ADMIN);
        if (!imports.programmeOf(regionId, importId).equals(programmeId)) {
            throw Problems.notFound("award import", importId);
        }
        Problems.requireBetween("limit", limit, 1, 1_000);
        return imports.view(regionId, importId, afterLine, limit);
    }

    /** Programme officers of the region, or an integration whose key is bound to this programme. */
    static void requireAwarder(Caller caller, long regionId, UUID programmeId) {
        caller.requireRegion(regionId);
        if (Access.has(caller, regionId, Access.OFFICER)) {
            return;
        }
        if (caller.hasRole(Access.INTEGRATION) && caller.programmeId().map(programmeId::equals).orElse(false)) {
            return;
        }
        throw Problems.forbidden("awards are made by programme officers and by integrations bound to this programme");
    }
}
