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
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import jp.yui.server.infra.ApiKeys;
import jp.yui.server.infra.Caller;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.infra.ProblemTypes;
import jp.yui.server.payment.Merchants;
import jp.yui.server.region.Access;

/**
 * Signing in and out of the pages. Shops sign in with one of their till keys; the session keeps only the key's id
 * (never the key, in the page, a cookie or the database) and checks on every page that the key is still active. In demo mode the page also lists the demo
 * town's people ({@link DemoSignIn}). The routes are open to anonymous callers; each page checks its own session.
 */
@Hidden
@Controller("/app")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class LoginController {

    private final Pages pages;
    private final WebSessions sessions;
    private final ApiKeys apiKeys;
    private final Merchants merchants;
    private final Optional<DemoSignIn> demo;

    LoginController(Pages pages, WebSessions sessions, ApiKeys apiKeys, Merchants merchants, Optional<DemoSignIn> demo) {
        this.pages = pages;
        this.sessions = sessions;
        this.apiKeys = apiKeys;
        this.merchants = merchants;
        this.demo = demo;
    }

    /** The signed-in person's home page, else the sign-in page. */
    @Get
    HttpResponse<?> root(HttpRequest<?> request) {
        return Pages.redirect(sessions.current(request).flatMap(WebSessions.Session::user)
                .map(u -> u.kind().home()).orElse("/app/login"));
    }

    @Get("/login")
    HttpResponse<?> login(HttpRequest<?> request, @Nullable @QueryValue String next) {
        return form(request, next, null, HttpStatus.OK);
    }

    /** A shop signs in with a till key (as issued by the town's admin for its till). */
    @Post(value = "/login/shop", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> shop(HttpRequest<?> request, @Body Map<String, String> form) {
        String key = form.getOrDefault("apiKey", "").strip();
        Optional<Authentication> auth = apiKeys.authenticate(key);
        Optional<Caller> caller = auth.map(Caller::of).filter(c -> c.hasRole(Access.MERCHANT) && c.merchantId().isPresent()
                && c.regionId().isPresent());
        if (caller.isEmpty()) {
            return form(request, form.get("next"), "login.shop.refused", HttpStatus.UNAUTHORIZED);
        }
        Merchants.Row shop = merchants.require(caller.get().regionId().orElseThrow(), caller.get().merchantId().orElseThrow());
        SignedIn user = new SignedIn(SignedIn.Kind.SHOP, auth.get(), shop.nameJa() == null ? shop.name() : shop.nameJa(),
                caller.get().keyId().orElseThrow());
        return signedIn(request, user, form.get("next"));
    }

    /** Someone from the demo town's list (demo mode only; otherwise 404). */
    @Post(value = "/login/demo", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> demo(HttpRequest<?> request, @Body Map<String, String> form) {
        DemoSignIn people = demo.orElseThrow(() -> new ProblemException(404, ProblemTypes.NOT_FOUND, "Not found",
                "demo sign-in is only in demo mode"));
        Optional<SignedIn> user = people.signIn(form.getOrDefault("who", ""));
        if (user.isEmpty()) {
            return form(request, form.get("next"), "login.demo.unknown", HttpStatus.BAD_REQUEST);
        }
        return signedIn(request, user.get(), form.get("next"));
    }

    @Post(value = "/logout", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> logout(HttpRequest<?> request) {
        sessions.signOut(request);
        return Pages.redirect("/app/login").cookie(sessions.cleared(request));
    }

    private HttpResponse<?> signedIn(HttpRequest<?> request, SignedIn user, @Nullable String next) {
        WebSessions.Session session = sessions.signIn(request, user);
        return Pages.redirect(safeNext(next).orElse(user.kind().home())).cookie(sessions.cookie(session, request));
    }

    private HttpResponse<?> form(HttpRequest<?> request, @Nullable String next, @Nullable String errorKey,
            HttpStatus status) {
        WebSessions.Session session = sessions.open(request);
        Map<String, Object> model = new HashMap<>();
        model.put("next", safeNext(next).orElse(""));
        model.put("demo", demo.isPresent());
        demo.ifPresent(d -> model.put("people", d.people(WebLocale.of(request))));
        if (errorKey != null) {
            model.put("error", pages.message(request, errorKey));
        }
        return pages.page(request, session, status, "login", model).cookie(sessions.cookie(session, request));
    }

    /** Only a path of these pages: never another site (an open redirect) nor a scheme-relative {@code //host}. */
    static Optional<String> safeNext(@Nullable String next) {
        if (next == null || !next.startsWith("/app") || next.startsWith("//") || next.contains("\\")
                || next.startsWith("/app/login") || next.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
            return Optional.empty();
        }
        return Optional.of(next);
    }
}
