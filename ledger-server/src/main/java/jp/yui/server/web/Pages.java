package jp.yui.server.web;

import io.micronaut.context.MessageSource;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.io.Writable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.views.thymeleaf.ThymeleafViewsRenderer;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import jp.yui.server.infra.Caller;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.infra.ProblemTypes;
import jp.yui.server.region.Regions;

/**
 * Renders the pages: every page gets the same frame (language toggle, who is signed in, the CSRF token for its
 * forms) and the same response headers (a strict Content-Security-Policy, no caching of balances on shared devices).
 * Also the one place that decides whether a request may see a kind of page.
 */
@Singleton
public final class Pages {

    /**
     * Scripts only from this server; styles may be set by the QR scanner library at run time; images and the camera
     * stream may be data/blob URLs; nothing may frame the pages.
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    private final ThymeleafViewsRenderer<Map<String, Object>> renderer;
    private final MessageSource messages;
    private final WebSessions sessions;
    private final Regions regions;

    Pages(ThymeleafViewsRenderer<Map<String, Object>> renderer, @Named("web") MessageSource messages,
            WebSessions sessions, Regions regions) {
        this.renderer = renderer;
        this.messages = messages;
        this.sessions = sessions;
        this.regions = regions;
    }

    /**
     * The signed-in request for a page of {@code kind}.
     *
     * @throws ProblemException 401 without a live signed-in session (answered with a redirect to the sign-in page);
     *     403 if the person signed in is not of {@code kind} or belongs to no town
     */
    public Visit visit(HttpRequest<?> request, SignedIn.Kind kind) {
        WebSessions.Session session = sessions.current(request).filter(s -> s.user().isPresent())
                .orElseThrow(() -> new ProblemException(401, ProblemTypes.UNAUTHORIZED, "Unauthorized",
                        "sign in to see this page"));
        SignedIn user = session.user().orElseThrow();
        if (user.kind() != kind) {
            throw new ProblemException(403, ProblemTypes.FORBIDDEN, "Forbidden",
                    "this page is for " + kind.name().toLowerCase(Locale.ROOT) + " sign-ins");
        }
        Caller caller = user.caller();
        long regionId = caller.regionId().orElseThrow(() -> new ProblemException(403, ProblemTypes.FORBIDDEN,
                "Forbidden", "the pages are for the people of one town; this sign-in names no town"));
        Locale locale = WebLocale.of(request);
        Regions.RegionRow region = regions.require(regionId);
        return new Visit(request, session, user, regionId, locale, new Fmt(locale, region.zone(), region.currencyCode()));
    }

    /** A page of a signed-in visit, 200. */
    public MutableHttpResponse<String> page(Visit visit, String view, Map<String, Object> model) {
        Map<String, Object> m = new HashMap<>(model);
        m.put("fmt", visit.fmt());
        m.put("user", visit.user());
        m.put("town", regions.require(visit.regionId()).name());
        return page(visit.request(), visit.session(), HttpStatus.OK, view, m);
    }

    /**
     * A page for anyone (the sign-in page, errors). The language link goes to the request's path with {@code ?lang=},
     * unless the model names another {@code path}.
     *
     * @param session the session whose CSRF token the page's forms carry; null for a page without forms
     */
    public MutableHttpResponse<String> page(HttpRequest<?> request, @Nullable WebSessions.Session session,
            HttpStatus status, String view, Map<String, Object> model) {
        Locale locale = WebLocale.of(request);
        Map<String, Object> m = new HashMap<>(model);
        m.putIfAbsent("fmt", new Fmt(locale, TOKYO, ""));
        m.put("lang", locale.getLanguage());
        m.put("otherLang", locale.getLanguage().equals("ja") ? "en" : "ja");
        m.putIfAbsent("path", request.getPath());
        if (session != null) {
            m.put("csrf", session.csrfToken());
            session.user().ifPresent(u -> m.putIfAbsent("user", u));
        }
        return headers(HttpResponse.status(status).contentType(MediaType.TEXT_HTML_TYPE.toString() + ";charset=utf-8")
                .body(render(view, m, request)));
    }

    /** 303 See Other to {@code location}: where a form's POST sends the browser next. */
    public static MutableHttpResponse<?> redirect(String location) {
        return headers(HttpResponse.seeOther(URI.create(location)));
    }

    /** The pages' response headers, on every answer under {@code /app}. */
    static <T> MutableHttpResponse<T> headers(MutableHttpResponse<T> response) {
        if (!response.getHeaders().contains("Cache-Control")) {
            // Balances and histories must not stay in a shared device's cache; assets say otherwise themselves.
            response.header("Cache-Control", "no-store");
        }
        return response.header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .header("X-Frame-Options", "DENY");
    }

    /** A message in the request's language; the key itself if it is missing (so a gap shows, rather than hides). */
    public String message(HttpRequest<?> request, String key, Object... args) {
        return messages.getMessage(key, WebLocale.of(request), args).orElse(key);
    }

    /** Whether a message exists. */
    boolean hasMessage(String key, Locale locale) {
        return messages.getMessage(key, locale).isPresent();
    }

    /** The page's HTML. */
    String render(String view, Map<String, Object> model, HttpRequest<?> request) {
        Writable writable = renderer.render(view, model, request);
        StringWriter out = new StringWriter();
        try {
            writable.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("could not render view " + view, e);
        }
        return out.toString();
    }
}
