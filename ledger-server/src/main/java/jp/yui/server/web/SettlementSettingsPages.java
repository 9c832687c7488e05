package jp.yui.server.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import jp.yui.server.infra.Problem;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.region.Access;
import jp.yui.server.settlement.SettlementApi;
import jp.yui.server.settlement.SettlementSettings;

/**
 * Finance sets up settlement: the region's cycle, fee, minimum payout, requester code and name and the town's own
 * bank account, and each shop's bank account and own fee. The same records, the same constraints and the same
 * service as the API's {@code PUT settlement-settings}, {@code …/bank-account} and {@code PUT}/{@code DELETE …/fee},
 * and the same rule: finance staff and admins of the town only.
 *
 * <p>A form with a mistake is shown again (400) with what was typed and each field's error beside it, and nothing
 * is stored: the page checks with the request's constraints and {@link SettlementSettings#check}, the very checks
 * the service makes before it stores anything. The fee is typed and shown as a percentage and stored as the API
 * stores it, in basis points; a rate basis points cannot hold is refused, not rounded.
 */
@Hidden
@Controller("/app/finance/settings")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class SettlementSettingsPages {

    /** The settings form's fields, as the form names them. */
    static final List<String> SETTINGS_FIELDS = List.of("cycle", "feePercent", "minimumPayout", "requesterCode",
            "requesterName", "bankCode", "bankName", "branchCode", "branchName", "accountType", "accountNumber");
    /** A shop's account form's fields. */
    static final List<String> ACCOUNT_FIELDS = List.of("bankCode", "bankName", "branchCode", "branchName",
            "accountType", "accountNumber", "holderName");
    /** The town's own account is never a savings account (the service refuses one). */
    static final List<SettlementApi.AccountType> TOWN_ACCOUNT_TYPES = List.of(SettlementApi.AccountType.ORDINARY,
            SettlementApi.AccountType.CURRENT, SettlementApi.AccountType.OTHER);
    private static final Set<String> SAVED = Set.of("settings", "account", "fee", "feeCleared");

    private final Pages pages;
    private final Forms forms;
    private final SettlementSettings settings;

    SettlementSettingsPages(Pages pages, Forms forms, SettlementSettings settings) {
        this.pages = pages;
        this.forms = forms;
        this.settings = settings;
    }

    /** A shop on the settings page: its name, bank account and fee as the page writes them. */
    record ShopRow(UUID merchantId, String name, @Nullable String account, String fee, boolean ownFee) {
    }

    @Get
    HttpResponse<?> show(HttpRequest<?> request, @Nullable @QueryValue String saved) {
        Visit v = finance(request);
        Map<String, String> form = settings.find(v.regionId()).map(SettlementSettingsPages::settingsForm)
                .orElseGet(SettlementSettingsPages::blankSettingsForm);
        Map<String, Object> model = settingsModel(v, form, new FormErrors());
        if (saved != null && SAVED.contains(saved)) {
            model.put("saved", "finset.saved." + saved);
        }
        return pages.page(v, "finance-settings", model);
    }

    /** Stores the region's settings, or shows the form again with what is wrong and stores nothing. */
    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> save(HttpRequest<?> request, @Body Map<String, String> body) {
        Visit v = finance(request);
        Map<String, String> form = typed(body, SETTINGS_FIELDS);
        FormErrors errors = new FormErrors();
        SettlementApi.Cycle cycle = parse(errors, v, "cycle", form, s -> SettlementApi.Cycle.valueOf(s));
        Integer fee = parse(errors, v, "feePercent", form, s -> Forms.basisPoints("feePercent", s));
        Long minimum = parse(errors, v, "minimumPayout", form, s -> Forms.number("minimumPayout", s));
        SettlementApi.AccountType type = parse(errors, v, "accountType", form,
                s -> SettlementApi.AccountType.valueOf(s));
        SettlementApi.Settings req = new SettlementApi.Settings(cycle, fee, minimum, digits(form.get("requesterCode")),
                blankToNull(form.get("requesterName")), new SettlementApi.BankAccount(digits(form.get("bankCode")),
                        blankToNull(form.get("bankName")), digits(form.get("branchCode")),
                        blankToNull(form.get("branchName")), type, digits(form.get("accountNumber")), null));
        constraints(errors, v, req);
        if (errors.isEmpty()) {
            serviceChecks(errors, v, SettlementSettings.check(req));
        }
        if (!errors.isEmpty()) {
            return pages.page(v, "finance-settings", settingsModel(v, form, errors)).status(HttpStatus.BAD_REQUEST);
        }
        settings.put(v.regionId(), req);
        return Pages.redirect("/app/finance/settings?saved=settings");
    }

    @Get("/shops/{merchantId}")
    HttpResponse<?> shop(HttpRequest<?> request, String merchantId) {
        Visit v = finance(request);
        SettlementSettings.Shop shop = settings.shop(v.regionId(), Forms.uuid("merchantId", merchantId));
        Map<String, String> feeForm = Map.of("feePercent", shop.feeRateBasisPoints() == null ? ""
                : Forms.percent(shop.feeRateBasisPoints()));
        return pages.page(v, "finance-settings-shop", shopModel(v, shop, accountForm(shop.account()), new FormErrors(),
                feeForm, new FormErrors()));
    }

    /** Sets the shop's bank account, or shows the form again with what is wrong and stores nothing. */
    @Post(value = "/shops/{merchantId}/bank-account", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> saveAccount(HttpRequest<?> request, String merchantId, @Body Map<String, String> body) {
        Visit v = finance(request);
        SettlementSettings.Shop shop = settings.shop(v.regionId(), Forms.uuid("merchantId", merchantId));
        Map<String, String> form = typed(body, ACCOUNT_FIELDS);
        FormErrors errors = new FormErrors();
        SettlementApi.AccountType type = parse(errors, v, "accountType", form,
                s -> SettlementApi.AccountType.valueOf(s));
        SettlementApi.BankAccount req = new SettlementApi.BankAccount(digits(form.get("bankCode")),
                blankToNull(form.get("bankName")), digits(form.get("branchCode")),
                blankToNull(form.get("branchName")), type, digits(form.get("accountNumber")),
                blankToNull(form.get("holderName")));
        constraints(errors, v, req);
        if (errors.isEmpty()) {
            serviceChecks(errors, v, settings.check(v.regionId(), shop.merchantId(), req));
        }
        if (!errors.isEmpty()) {
            Map<String, String> feeForm = Map.of("feePercent", shop.feeRateBasisPoints() == null ? ""
                    : Forms.percent(shop.feeRateBasisPoints()));
            return pages.page(v, "finance-settings-shop", shopModel(v, shop, form, errors, feeForm, new FormErrors()))
                    .status(HttpStatus.BAD_REQUEST);
        }
        settings.putBankAccount(v.regionId(), shop.merchantId(), req);
        return Pages.redirect("/app/finance/settings?saved=account");
    }

    /** Sets the shop's own fee, or shows the form again with what is wrong and stores nothing. */
    @Post(value = "/shops/{merchantId}/fee", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> saveFee(HttpRequest<?> request, String merchantId, @Body Map<String, String> body) {
        Visit v = finance(request);
        SettlementSettings.Shop shop = settings.shop(v.regionId(), Forms.uuid("merchantId", merchantId));
        Map<String, String> form = typed(body, List.of("feePercent"));
        FormErrors errors = new FormErrors();
        Integer fee = parse(errors, v, "feePercent", form, s -> Forms.basisPoints("feePercent", s));
        SettlementApi.Fee req = new SettlementApi.Fee(fee);
        constraints(errors, v, req);
        if (!errors.isEmpty()) {
            return pages.page(v, "finance-settings-shop", shopModel(v, shop, accountForm(shop.account()),
                    new FormErrors(), form, errors)).status(HttpStatus.BAD_REQUEST);
        }
        settings.putFee(v.regionId(), shop.merchantId(), req.feeRateBasisPoints());
        return Pages.redirect("/app/finance/settings?saved=fee");
    }

    /**
     * The shop pays the town's fee again, as with the API's {@code DELETE …/fee}; a shop without a fee of its own
     * stays so.
     */
    @Post(value = "/shops/{merchantId}/fee/clear", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> clearFee(HttpRequest<?> request, String merchantId) {
        Visit v = finance(request);
        settings.clearFee(v.regionId(), Forms.uuid("merchantId", merchantId));
        return Pages.redirect("/app/finance/settings?saved=feeCleared");
    }

    private Map<String, Object> settingsModel(Visit v, Map<String, String> form, FormErrors errors) {
        Integer regionFee = settings.find(v.regionId()).map(SettlementApi.Settings::feeRateBasisPoints).orElse(null);
        Map<String, Object> model = new HashMap<>();
        model.put("nav", FinancePages.NAV);
        model.put("form", form);
        model.put("errors", errors.asMap());
        model.put("cycles", Arrays.asList(SettlementApi.Cycle.values()));
        model.put("accountTypes", TOWN_ACCOUNT_TYPES);
        model.put("configured", regionFee != null);
        model.put("shops", settings.shops(v.regionId()).stream().map(s -> shopRow(v, s, regionFee)).toList());
        return model;
    }

    private Map<String, Object> shopModel(Visit v, SettlementSettings.Shop shop, Map<String, String> form,
            FormErrors errors, Map<String, String> feeForm, FormErrors feeErrors) {
        Integer regionFee = settings.find(v.regionId()).map(SettlementApi.Settings::feeRateBasisPoints).orElse(null);
        Map<String, Object> model = new HashMap<>();
        model.put("nav", FinancePages.NAV);
        model.put("shop", shopRow(v, shop, regionFee));
        model.put("kana", shop.nameKana() == null ? "" : shop.nameKana());
        model.put("form", form);
        model.put("errors", errors.asMap());
        model.put("feeForm", feeForm);
        model.put("feeErrors", feeErrors.asMap());
        model.put("regionFee", regionFee == null ? "" : Forms.percent(regionFee));
        model.put("accountTypes", Arrays.asList(SettlementApi.AccountType.values()));
        return model;
    }

    private ShopRow shopRow(Visit v, SettlementSettings.Shop s, @Nullable Integer regionFee) {
        String name = v.fmt().japanese() && s.nameJa() != null ? s.nameJa() : s.name();
        SettlementApi.BankAccount a = s.account();
        String account = a == null ? null : String.join(" ", nonBlank(a.bankName()) + " (" + a.bankCode() + ")",
                nonBlank(a.branchName()) + " (" + a.branchCode() + ")",
                pages.message(v.request(), "finset.accountType." + a.accountType()), a.accountNumber(),
                a.holderName());
        String fee = s.feeRateBasisPoints() != null ? Forms.percent(s.feeRateBasisPoints()) + "%"
                : regionFee == null ? pages.message(v.request(), "finset.fee.none")
                : pages.message(v.request(), "finset.fee.region", Forms.percent(regionFee) + "%");
        return new ShopRow(s.merchantId(), name, account, fee, s.feeRateBasisPoints() != null);
    }

    /** Each field of the form as typed (absent ones blank), to show again. */
    private static Map<String, String> typed(Map<String, String> body, List<String> fields) {
        Map<String, String> form = new HashMap<>();
        for (String f : fields) {
            String value = body.get(f);
            form.put(f, value == null ? "" : value);
        }
        return form;
    }

    /** A field parsed, or its error noted and null; a blank field is null (the constraints then say it is needed). */
    private <T> @Nullable T parse(FormErrors errors, Visit v, String field, Map<String, String> form,
            Function<String, T> parser) {
        String text = form.get(field);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return parser.apply(text.strip());
        } catch (ProblemException | IllegalArgumentException e) {
            errors.add(field, fieldMessage(v, field), null);
            return null;
        }
    }

    /** The request record's constraints, as the API applies them to its body. */
    private void constraints(FormErrors errors, Visit v, Object req) {
        for (String path : forms.invalid(req).keySet()) {
            String field = formField(path);
            errors.add(field, fieldMessage(v, field), null);
        }
    }

    /** What the service would refuse, with its own words as the detail. */
    private void serviceChecks(FormErrors errors, Visit v, List<Problem.FieldError> refused) {
        for (Problem.FieldError e : refused) {
            errors.add(e.field(), fieldMessage(v, e.field()), e.message());
        }
    }

    /** The form's name of a property of the API's records: {@code account.bankCode} is {@code bankCode}. */
    static String formField(String path) {
        if (path.equals("feeRateBasisPoints")) {
            return "feePercent";
        }
        return path.startsWith("account.") ? path.substring("account.".length()) : path;
    }

    private String fieldMessage(Visit v, String field) {
        return pages.message(v.request(), "finset.invalid." + field);
    }

    private static Map<String, String> settingsForm(SettlementApi.Settings s) {
        Map<String, String> form = accountForm(s.account());
        form.remove("holderName");
        form.put("cycle", s.cycle().name());
        form.put("feePercent", Forms.percent(s.feeRateBasisPoints()));
        form.put("minimumPayout", Long.toString(s.minimumPayout()));
        form.put("requesterCode", s.requesterCode());
        form.put("requesterName", s.requesterName());
        return form;
    }

    private static Map<String, String> blankSettingsForm() {
        Map<String, String> form = new HashMap<>();
        SETTINGS_FIELDS.forEach(f -> form.put(f, ""));
        form.put("cycle", SettlementApi.Cycle.HALF_MONTHLY.name());
        form.put("accountType", SettlementApi.AccountType.ORDINARY.name());
        return form;
    }

    private static Map<String, String> accountForm(@Nullable SettlementApi.BankAccount a) {
        Map<String, String> form = new HashMap<>();
        ACCOUNT_FIELDS.forEach(f -> form.put(f, ""));
        form.put("accountType", SettlementApi.AccountType.ORDINARY.name());
        if (a != null) {
            form.put("bankCode", a.bankCode());
            form.put("bankName", nonBlank(a.bankName()));
            form.put("branchCode", a.branchCode());
            form.put("branchName", nonBlank(a.branchName()));
            form.put("accountType", a.accountType().name());
            form.put("accountNumber", a.accountNumber());
            form.put("holderName", nonBlank(a.holderName()));
        }
        return form;
    }

    private Visit finance(HttpRequest<?> request) {
        Visit v = pages.visit(request, SignedIn.Kind.FINANCE);
        Access.require(v.caller(), v.regionId(), Access.FINANCE, Access.ADMIN);
        return v;
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String nonBlank(@Nullable String s) {
        return s == null ? "" : s;
    }

    /** A code or number as typed: an IME's full-width digits are digits. */
    private static @Nullable String digits(@Nullable String s) {
        String t = blankToNull(s);
        return t == null ? null : Normalizer.normalize(t, Normalizer.Form.NFKC).strip();
    }
}
