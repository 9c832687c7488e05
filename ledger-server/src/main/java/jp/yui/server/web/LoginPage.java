package jp.yui.server.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The sign-in page, what every way of signing in does at the end (start a new session and go on), and signing out.
 * Offers the town's account first when an OIDC provider is configured ({@link OidcSettings}), the demo town's people in
 * demo mode ({@link DemoSignIn}), and a shop's till key always.
 */
@Singleton
final class LoginPage {

    private final Pages pages;
    private final WebSessions sessions;
    private final Optional<DemoSignIn> demo;
    private final Optional<OidcProvider> town;

    LoginPage(Pages pages, WebSessions sessions, Optional<DemoSignIn> demo, Optional<OidcProvider> town) {
        this.pages = pages;
        this.sessions = sessions;
        this.demo = demo;
        this.town = town;
    }

    /**
     * The sign-in page, with the request's session (or a new signed-out one) for its forms' CSRF token.
     *
     * @param next     where to go after signing in; kept only if {@link #safeNext} passes it
     * @param errorKey the message of why the last attempt failed, or null
     */
    MutableHttpResponse<?> render(HttpRequest<?> request, @Nullable String next, @Nullable String errorKey,
            HttpStatus status) {
        WebSessions.Session session = sessions.open(request);
        Map<String, Object> model = new HashMap<>();
        // Also shown where a sign-in with the town's account came back refused: its language link goes here.
        model.put("path", "/app/login");
        model.put("next", safeNext(next).orElse(""));
        model.put("townAccount", town.isPresent());
        model.put("demo", demo.isPresent());
        demo.ifPresent(d -> model.put("people", d.people(WebLocale.of(request))));
        if (errorKey != null) {
            model.put("error", pages.message(request, errorKey));
        }
        return pages.page(request, session, status, "login", model).cookie(sessions.cookie(session, request));
    }

    /** Signs {@code user} in with a new session and sends them to {@code next} if it is safe, else their home page. */
    MutableHttpResponse<?> signedIn(HttpRequest<?> request, SignedIn user, @Nullable String next) {
        WebSessions.Session session = sessions.signIn(request, user);
        return Pages.redirect(safeNext(next).orElse(user.kind().home())).cookie(sessions.cookie(session, request));
    }

    /**
     * Ends the request's session and goes to the sign-in page. Someone who signed in with the town's account goes by
     * way of the provider, which ends its session too if it offers that ({@link OidcProvider#endSession}): a page that
     * moves on by itself, since the sign-out form's {@code form-action 'self'} keeps a redirect from leaving the site.
     */
    MutableHttpResponse<?> signedOut(HttpRequest<?> request) {
        Optional<SignedIn> user = sessions.peek(request).flatMap(WebSessions.Session::user);
        sessions.signOut(request);
        Optional<URI> provider = user.flatMap(u -> town.flatMap(t -> t.endSession(request, u)));
        if (provider.isEmpty()) {
            return Pages.redirect("/app/login").cookie(sessions.cleared(request));
        }
        return pages.page(request, null, HttpStatus.OK, "signed-out", Map.of("refreshTo", provider.get().toString()))
                .cookie(sessions.cleared(request));
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
