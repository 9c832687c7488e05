package jp.yui.server.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Part;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.award.AwardApi;
import jp.yui.server.award.AwardImports;
import jp.yui.server.award.Awards;
import jp.yui.server.award.Claims;
import jp.yui.server.db.Problems;
import jp.yui.server.program.ProgrammeApi;
import jp.yui.server.program.Programmes;
import jp.yui.server.region.Access;

/**
 * The programme officer's page: award an activity's points to a resident (found by the card in their hand or by
 * their id), award in bulk from a CSV file with its progress and each row's outcome, and approve or reject the
 * volunteering residents claimed. Programme officers of the town only, as the API's awards and claims.
 */
@Hidden
@Controller("/app/officer")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class OfficerPages {

    /** Rows of an import's outcome shown per page. */
    static final int ROWS = 100;

    static final List<Nav> NAV = List.of(new Nav("/app/officer", "officer.nav.award"),
            new Nav("/app/officer/imports", "officer.nav.imports"), new Nav("/app/officer/claims", "officer.nav.claims"));

    private final Pages pages;
    private final Forms forms;
    private final Programmes programmes;
    private final Awards awards;
    private final AwardImports imports;
    private final Claims claims;
    private final ResidentFinder residents;

    OfficerPages(Pages pages, Forms forms, Programmes programmes, Awards awards, AwardImports imports, Claims claims,
            ResidentFinder residents) {
        this.pages = pages;
        this.forms = forms;
        this.programmes = programmes;
        this.awards = awards;
        this.imports = imports;
        this.claims = claims;
        this.residents = residents;
    }

    /** A programme with its budget, as the award form lists it. */
    record ProgrammeView(ProgrammeApi.Programme programme, ProgrammeApi.Budget budget) {
    }

    /** A claim waiting for a decision, with the claimant's name. */
    record ClaimView(AwardApi.Claim claim, String programme, String resident, String activity) {
    }

    @Get
    HttpResponse<?> awardForm(HttpRequest<?> request) {
        Visit v = officer(request);
        return pages.page(v, "officer", Map.of("nav", NAV, "programmes", programmeViews(v)));
    }

    /** Awards an activity to one resident for one event (once per event, within the programme's caps and budget). */
    @Post(value = "/awards", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> award(HttpRequest<?> request, @Body Map<String, String> form) {
        Visit v = officer(request);
        String activity = Forms.required("activity", form.get("activity"));
        int bar = activity.indexOf(':');
        if (bar < 0) {
            throw Problems.badRequest("validation", "Invalid request", "activity must name a programme and an activity: "
                    + activity);
        }
        UUID programmeId = Forms.uuid("programme", activity.substring(0, bar));
        UUID resident = residents.find(v.regionId(), Forms.required("resident", form.get("resident")));
        AwardApi.CreateAward req = forms.valid(new AwardApi.CreateAward(resident, activity.substring(bar + 1),
                Forms.required("eventId", form.get("eventId"))));
        programmes.requireActivity(v.regionId(), programmeId, req.activityCode());
        Awards.Outcome outcome = awards.award(v.regionId(), programmeId, req.residentId(), req.activityCode(),
                req.eventId(), v.subject());
        return pages.page(v, "officer-awarded", Map.of("nav", NAV, "created", outcome.created(),
                "points", v.fmt().points(outcome.award().points()),
                "resident", residents.name(v.regionId(), resident),
                "programme", programmes.require(v.regionId(), programmeId).name(),
                "award", outcome.award()));
    }

    @Get("/imports")
    HttpResponse<?> importForm(HttpRequest<?> request) {
        Visit v = officer(request);
        return pages.page(v, "officer-imports", Map.of("nav", NAV, "programmes", programmes.list(v.regionId())));
    }

    /** Starts a bulk award from a CSV file ({@code resident_id,activity_code,event_id}); a malformed file is refused whole. */
    @Post(value = "/imports", consumes = MediaType.MULTIPART_FORM_DATA)
    HttpResponse<?> startImport(HttpRequest<?> request, @Part("programme") String programme, CompletedFileUpload file) {
        Visit v = officer(request);
        UUID programmeId = Forms.uuid("programme", programme);
        String csv;
        try {
            csv = new String(file.getBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the uploaded file", e);
        }
        AwardApi.Import started = imports.start(v.regionId(), programmeId, csv, v.subject());
        return Pages.redirect("/app/officer/imports/" + started.importId());
    }

    /** An import's progress and each row's outcome; the page refreshes itself while it runs. */
    @Get("/imports/{importId}")
    HttpResponse<?> importStatus(HttpRequest<?> request, String importId, @Nullable @QueryValue Integer afterLine) {
        Visit v = officer(request);
        return pages.page(v, "officer-import", importModel(v, request, importId, afterLine, true));
    }

    @Get("/imports/{importId}/progress")
    HttpResponse<?> importProgress(HttpRequest<?> request, String importId, @Nullable @QueryValue Integer afterLine) {
        Visit v = officer(request);
        return pages.page(v, "officer-import :: progress", importModel(v, request, importId, afterLine, false));
    }

    @Get("/claims")
    HttpResponse<?> claims(HttpRequest<?> request) {
        Visit v = officer(request);
        List<ClaimView> pending = new ArrayList<>();
        for (ProgrammeApi.Programme p : programmes.list(v.regionId())) {
            Map<String, String> activityNames = new HashMap<>();
            p.activities().forEach(a -> activityNames.put(a.code(), a.name()));
            for (AwardApi.Claim c : claims.list(v.regionId(), p.programmeId(), "PENDING", 100)) {
                pending.add(new ClaimView(c, p.name(), residents.name(v.regionId(), c.residentId()),
                        activityNames.getOrDefault(c.activityCode(), c.activityCode())));
            }
        }
        return pages.page(v, "officer-claims", Map.of("nav", NAV, "claims", pending));
    }

    @Post(value = "/claims/{programmeId}/{claimId}/{decision}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> decide(HttpRequest<?> request, String programmeId, String claimId, String decision,
            @Body Map<String, String> form) {
        Visit v = officer(request);
        UUID programme = Forms.uuid("programmeId", programmeId);
        UUID claim = Forms.uuid("claimId", claimId);
        AwardApi.Decision d = forms.valid(new AwardApi.Decision(form.get("note")));
        switch (decision) {
            case "approve" -> claims.approve(v.regionId(), programme, claim, d.note(), v.subject());
            case "reject" -> claims.reject(v.regionId(), programme, claim, d.note(), v.subject());
            default -> throw Problems.notFound("decision", decision);
        }
        return Pages.redirect("/app/officer/claims");
    }

    /** Programme officers of the town, as the API's awards, imports and claim decisions require. */
    private Visit officer(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.OFFICER);
        Access.require(v.caller(), v.regionId(), Access.OFFICER);
        return v;
    }

    private List<ProgrammeView> programmeViews(Visit v) {
        return programmes.list(v.regionId()).stream()
                .map(p -> new ProgrammeView(p, programmes.budget(v.regionId(), p.programmeId()))).toList();
    }

    private Map<String, Object> importModel(Visit v, HttpRequest<?> request, String importId, @Nullable Integer afterLine,
            boolean page) {
        UUID id = Forms.uuid("importId", importId);
        AwardApi.Import status = imports.view(v.regionId(), id, afterLine == null ? 0 : Math.max(0, afterLine), ROWS);
        Map<String, Object> model = new HashMap<>();
        model.put("nav", NAV);
        model.put("status", status);
        model.put("running", "RUNNING".equals(status.status()));
        model.put("programme", programmes.require(v.regionId(), status.programmeId()).name());
        model.put("statusText", pages.message(request, "import.status." + status.status()));
        if (page && "RUNNING".equals(status.status())) {
            model.put("refreshSeconds", 3);
        }
        return model;
    }
}
