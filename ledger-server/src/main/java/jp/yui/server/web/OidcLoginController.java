package jp.yui.server.web;

import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Residents and town staff sign in with the town's account: OpenID Connect's authorization code flow with PKCE
 * against the town's provider ({@link OidcSettings}). Exists only when an issuer is configured (else these routes
 * answer 404).
 *
 * <ol>
 *   <li>{@code GET /app/login/oidc?next=…} starts a sign-in ({@link OidcLogins}: state, nonce, PKCE verifier and the
 *       page to land on, in the database), puts its state in a cookie of this browser ({@value #COOKIE}: HttpOnly,
 *       {@code SameSite=Lax}, only for these two routes) and sends the browser to the provider.</li>
 *   <li>{@code GET /app/login/oidc/callback?code=…&state=…} takes the sign-in the state names, once, and only if the
 *       browser's cookie holds the same state (so nobody can finish a sign-in they started in someone else's browser),
 *       trades the code for an ID token ({@link OidcProvider#exchange}), checks it ({@link OidcProvider#verify}), makes
 *       the same {@code Authentication} the API would from it ({@link OidcSignIn}), starts a new session and goes to
 *       the page the person asked for or their home page.</li>
 * </ol>
 *
 * Whatever goes wrong ({@link OidcRefusal}) ends on the sign-in page with a plain message, nothing signed in, and the
 * reason in the log. Signing out ends the person's session at the provider too when it offers that
 * ({@link LoginPage#signedOut}).
 */
@Hidden
@Controller("/app/login/oidc")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(bean = OidcSettings.class)
class OidcLoginController {

    /** The path the provider sends the browser back to. */
    static final String CALLBACK = "/app/login/oidc/callback";
    /** The cookie that ties a sign-in to the browser that started it. */
    static final String COOKIE = "yui_oidc";

    private static final Logger LOG = LoggerFactory.getLogger(OidcLoginController.class);
    private static final String COOKIE_PATH = "/app/login/oidc";

    private final OidcProvider provider;
    private final OidcLogins logins;
    private final OidcSignIn signIns;
    private final LoginPage page;
    private final OidcSettings settings;

    OidcLoginController(OidcProvider provider, OidcLogins logins, OidcSignIn signIns, LoginPage page,
            OidcSettings settings) {
        this.provider = provider;
        this.logins = logins;
        this.signIns = signIns;
        this.page = page;
        this.settings = settings;
    }

    /** Sends the browser to the provider's authorization endpoint (302). */
    @Get
    HttpResponse<?> start(HttpRequest<?> request, @Nullable @QueryValue String next) {
        try {
            OidcProvider.Endpoints endpoints = provider.endpoints();
            OidcLogins.Started login = logins.start(provider.redirectUri(request),
                    LoginPage.safeNext(next).orElse(null));
            URI authorization = provider.authorizationRequest(endpoints, login, WebLocale.of(request));
            return Pages.headers(HttpResponse.status(HttpStatus.FOUND)
                    .header(HttpHeaders.LOCATION, authorization.toString()))
                    .cookie(stateCookie(login.state(), login.redirectUri()).maxAge(settings.loginTimeout()));
        } catch (OidcRefusal refusal) {
            return refused(request, refusal);
        }
    }

    /** Where the provider sends the browser back, with a code or an error. */
    @Get("/callback")
    HttpResponse<?> callback(HttpRequest<?> request, @Nullable @QueryValue String state,
            @Nullable @QueryValue String code, @Nullable @QueryValue String error) {
        try {
            if (error != null) {
                try {
                    take(request, state); // so it cannot be used again
                } catch (OidcRefusal ignored) {
                    // The provider's no is what the person needs to hear, whatever the state.
                }
                throw new OidcRefusal("login.oidc.cancelled", HttpStatus.UNAUTHORIZED, "the provider answered error "
                        + printable(error) + " (" + printable(request.getParameters().get("error_description")) + ")");
            }
            OidcLogins.Returned login = take(request, state);
            if (code == null || code.isBlank()) {
                throw OidcRefusal.invalid("the provider sent the browser back without a code");
            }
            OidcProvider.Endpoints endpoints = provider.endpoints();
            SignedJWT idToken = provider.verify(endpoints, provider.exchange(endpoints, code, login), login.nonce());
            SignedIn user = signIns.signIn(idToken);
            LOG.info("Signed in with the town's account: {} ({}) for the {} pages", user.authentication().getName(),
                    user.authentication().getRoles(), user.kind());
            return page.signedIn(request, user, login.next()).cookie(clearedStateCookie(request));
        } catch (OidcRefusal refusal) {
            return refused(request, refusal).cookie(clearedStateCookie(request));
        }
    }

    /**
     * Takes the sign-in {@code state} names if this browser started it.
     *
     * @throws OidcRefusal {@code login.oidc.stale} without a state or the cookie, if they differ, or if the sign-in was
     *     never started, is used already or lapsed
     */
    private OidcLogins.Returned take(HttpRequest<?> request, @Nullable String state) {
        if (state == null || state.isBlank()) {
            throw OidcRefusal.stale("the provider sent the browser back without a state");
        }
        String cookie = request.getCookies().findCookie(COOKIE).map(Cookie::getValue).orElse(null);
        if (cookie == null || cookie.isEmpty()) {
            throw OidcRefusal.stale("the browser has no " + COOKIE + " cookie: the sign-in did not start in it");
        }
        if (!MessageDigest.isEqual(cookie.getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
            throw OidcRefusal.stale("the state is not the one this browser's sign-in was sent with");
        }
        return logins.take(state).orElseThrow(() -> OidcRefusal.stale("no sign-in waits for this state: never started,"
                + " used already, or older than " + settings.loginTimeout()));
    }

    private MutableHttpResponse<?> refused(HttpRequest<?> request, OidcRefusal refusal) {
        if (refusal.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            LOG.warn("Sign-in with the town's account failed: {}", refusal.getMessage(), refusal.getCause());
        } else {
            LOG.warn("Sign-in with the town's account refused: {}", refusal.getMessage());
        }
        return page.render(request, null, refusal.messageKey(), refusal.status());
    }

    /** Secure whenever the provider sends the browser back over https. */
    private static Cookie stateCookie(String value, String redirectUri) {
        return Cookie.of(COOKIE, value).httpOnly(true).sameSite(SameSite.Lax).path(COOKIE_PATH)
                .secure(redirectUri.startsWith("https:"));
    }

    private Cookie clearedStateCookie(HttpRequest<?> request) {
        return stateCookie("", provider.redirectUri(request)).maxAge(0);
    }

    /** What the provider (or whoever made the link) sent, safe for one log line. */
    private static String printable(@Nullable String text) {
        if (text == null) {
            return "no description";
        }
        String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "…" : clean;
    }
}
