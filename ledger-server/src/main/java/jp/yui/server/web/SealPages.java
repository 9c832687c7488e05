package jp.yui.server.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.VerificationReport;
import jp.yui.server.region.Access;
import jp.yui.server.seal.SealApi;
import jp.yui.server.seal.Seals;

/**
 * Is the journal intact? The latest seals and whether the journal moved since; sealing now; and running the
 * ledger's own check (hash chain and invariants), which reads the town's whole history and so runs only when asked.
 * Finance staff and admins only, as the seal API.
 */
@Hidden
@Controller("/app/finance")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class SealPages {

    /** The latest seals the page lists. */
    static final int SHOWN = 20;

    private final Pages pages;
    private final Seals seals;
    private final SealStatus status;
    private final Ledger ledger;

    SealPages(Pages pages, Seals seals, SealStatus status, Ledger ledger) {
        this.pages = pages;
        this.seals = seals;
        this.status = status;
        this.ledger = ledger;
    }

    @Get("/seals")
    HttpResponse<?> seals(HttpRequest<?> request) {
        Visit v = finance(request);
        return pages.page(v, "finance-seals", model(v, null));
    }

    /** Seals the journal's head now (time-stamped if the server has a time-stamp authority). */
    @Post(value = "/seals", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> seal(HttpRequest<?> request) {
        Visit v = finance(request);
        seals.seal(v.regionId(), v.subject());
        return Pages.redirect("/app/finance/seals");
    }

    /** Runs the ledger's verification of the town's journal and shows what it found. */
    @Post(value = "/verify", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> verify(HttpRequest<?> request) {
        Visit v = finance(request);
        VerificationReport report = ledger.verify(v.regionId());
        return pages.page(v, "finance-seals", model(v, report));
    }

    private Map<String, Object> model(Visit v, VerificationReport report) {
        SealStatus.View now = status.of(v);
        List<SealApi.Seal> latest = new ArrayList<>();
        long after = now.latest() == null ? 0 : Math.max(0, now.latest().sealSeq() - SHOWN);
        latest.addAll(seals.list(v.regionId(), after, SHOWN).seals());
        java.util.Collections.reverse(latest);
        Map<String, Object> model = new HashMap<>();
        model.put("nav", FinancePages.NAV);
        model.put("seal", now);
        model.put("seals", latest);
        if (report != null) {
            model.put("report", report);
        }
        return model;
    }

    private Visit finance(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.FINANCE);
        Access.require(v.caller(), v.regionId(), Access.ADMIN, Access.FINANCE);
        return v;
    }
}
