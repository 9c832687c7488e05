package jp.yui.server.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
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
import java.util.UUID;
import jp.yui.server.infra.Idempotency;
import jp.yui.server.program.ProgrammeApi;
import jp.yui.server.program.Programmes;
import jp.yui.server.wallet.Conversions;
import jp.yui.server.wallet.WalletApi;
import jp.yui.server.wallet.Wallets;

/**
 * Converting points into the town's currency at each programme's rate, within its yearly cap: the signed-in
 * resident's own points only ({@link Me}). The form carries an idempotency key made by the server, so sending it
 * twice converts once.
 */
@Hidden
@Controller("/app/wallet")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class ConvertPages {

    private final Pages pages;
    private final Forms forms;
    private final Me me;
    private final Wallets wallets;
    private final Programmes programmes;
    private final Conversions conversions;

    ConvertPages(Pages pages, Forms forms, Me me, Wallets wallets, Programmes programmes, Conversions conversions) {
        this.pages = pages;
        this.forms = forms;
        this.me = me;
        this.wallets = wallets;
        this.programmes = programmes;
        this.conversions = conversions;
    }

    /** A programme whose points convert, with what the resident holds of them. */
    record ConvertOption(UUID programmeId, String name, String assetCode, String balance, long suggested, int points,
            int yen, String rate, String yearlyCap) {
    }

    @Get("/convert")
    HttpResponse<?> convertForm(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        UUID resident = me.resident(v);
        return pages.page(v, "wallet-convert", Map.of("options", convertOptions(v, resident), "key", Forms.newKey()));
    }

    @Post(value = "/convert", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> convert(HttpRequest<?> request, @Body Map<String, String> form) {
        Visit v = pages.visit(request, SignedIn.Kind.RESIDENT);
        UUID resident = me.resident(v);
        String key = Forms.required("key", form.get("key"));
        Idempotency.requireValidKey(key);
        WalletApi.Convert req = forms.valid(new WalletApi.Convert(Forms.uuid("programmeId", form.get("programmeId")),
                Forms.number("points", form.get("points"))));
        WalletApi.Conversion done = conversions.convert(v.regionId(), resident, req.programmeId(), req.points(), key);
        return pages.page(v, "wallet-converted", Map.of(
                "points", v.fmt().points(done.points()),
                "yen", v.fmt().yen(done.yen()),
                "thisYear", v.fmt().yen(done.convertedThisYear()),
                "cap", v.fmt().yen(done.yearlyCap())));
    }

    private List<ConvertOption> convertOptions(Visit v, UUID resident) {
        Map<String, Long> balances = new HashMap<>();
        for (WalletApi.Balance b : wallets.wallet(v.regionId(), resident).balances()) {
            balances.put(b.assetCode(), b.available());
        }
        List<ConvertOption> options = new ArrayList<>();
        for (ProgrammeApi.Programme p : programmes.list(v.regionId())) {
            ProgrammeApi.Conversion c = p.conversion();
            if (c == null) {
                continue;
            }
            long held = balances.getOrDefault(p.assetCode(), 0L);
            long suggested = held - held % c.points();
            options.add(new ConvertOption(p.programmeId(), p.name(), p.assetCode(), v.fmt().points(held), suggested,
                    c.points(), c.yen(), v.fmt().points(c.points()) + " → " + v.fmt().yen(c.yen()),
                    v.fmt().yen(c.yearlyCapYen())));
        }
        return options;
    }
}
