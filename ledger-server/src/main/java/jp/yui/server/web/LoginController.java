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
 * (never the key, in the page, a cookie or the database) and checks on every page that the key is still active.
 * Residents and staff sign in with the town's account when an OIDC provider is configured
 * ({@link OidcLoginController}); in demo mode the page also lists the demo town's people ({@link DemoSignIn}). The
 * routes are open to anonymous callers; each page checks its own session.
 */
@Hidden
@Controller("/app")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
class LoginController {

    private final LoginPage page;
    private final WebSessions sessions;
    private final ApiKeys apiKeys;
    private final Merchants merchants;
    private final Optional<DemoSignIn> demo;

    LoginController(LoginPage page, WebSessions sessions, ApiKeys apiKeys, Merchants merchants, Optional<DemoSignIn> demo) {
        this.page = page;
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
        return page.render(request, next, null, HttpStatus.OK);
    }

    /** A shop signs in with a till key (as issued by the town's admin for its till). */
    @Post(value = "/login/shop", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> shop(HttpRequest<?> request, @Body Map<String, String> form) {
        String key = form.getOrDefault("apiKey", "").strip();
        Optional<Authentication> auth = apiKeys.authenticate(key);
        Optional<Caller> caller = auth.map(Caller::of).filter(c -> c.hasRole(Access.MERCHANT) && c.merchantId().isPresent()
                && c.regionId().isPresent());
        if (caller.isEmpty()) {
            return page.render(request, form.get("next"), "login.shop.refused", HttpStatus.UNAUTHORIZED);
        }
        Merchants.Row shop = merchants.require(caller.get().regionId().orElseThrow(), caller.get().merchantId().orElseThrow());
        SignedIn user = new SignedIn(SignedIn.Kind.SHOP, auth.get(), shop.nameJa() == null ? shop.name() : shop.nameJa(),
                caller.get().keyId().orElseThrow());
        return page.signedIn(request, user, form.get("next"));
    }

    /** Someone from the demo town's list (demo mode only; otherwise 404). */
    @Post(value = "/login/demo", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> demo(HttpRequest<?> request, @Body Map<String, String> form) {
        DemoSignIn people = demo.orElseThrow(() -> new ProblemException(404, ProblemTypes.NOT_FOUND, "Not found",
                "demo sign-in is only in demo mode"));
        Optional<SignedIn> user = people.signIn(form.getOrDefault("who", ""));
        if (user.isEmpty()) {
            return page.render(request, form.get("next"), "login.demo.unknown", HttpStatus.BAD_REQUEST);
        }
        return page.signedIn(request, user.get(), form.get("next"));
    }

    @Post(value = "/logout", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<?> logout(HttpRequest<?> request) {
        return page.signedOut(request);
    }
}
