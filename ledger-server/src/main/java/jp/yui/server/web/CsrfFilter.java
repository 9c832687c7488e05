package jp.yui.server.web;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.server.filter.FilterBodyParser;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Refuses every state-changing request to the pages ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE} under
 * {@code /app}) that does not carry its session's CSRF token, before any controller runs. The token comes in the
 * {@value WebSessions#CSRF_HEADER} header (htmx requests), in the {@value WebSessions#CSRF_FIELD} field of a form,
 * or, for file uploads ({@code multipart/form-data}, whose body a filter cannot read cheaply), in the
 * {@value WebSessions#CSRF_FIELD} query parameter of the form's action. Anything else (no session cookie, a JSON or text
 * body) is refused: a cross-site form can neither read the token nor set the header.
 *
 * <p>This runs on the event loop, so it touches no database: a session's token is an HMAC of the session id its
 * cookie holds ({@link WebSessions#csrfMatches(HttpRequest, String)}), which proves the request came from a page this
 * browser got from the server. Whether the session is live and whose it is, each page checks itself (a signed-out
 * visitor is sent to the sign-in page, whose own forms are protected the same way).
 */
@ServerFilter("/app/**")
final class CsrfFilter {

    private static final Set<HttpMethod> CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    private final WebSessions sessions;
    private final FilterBodyParser forms;
    private final Pages pages;

    CsrfFilter(WebSessions sessions, FilterBodyParser forms, Pages pages) {
        this.sessions = sessions;
        this.forms = forms;
        this.pages = pages;
    }

    @RequestFilter
    Publisher<HttpResponse<?>> check(HttpRequest<?> request, FilterContinuation<Publisher<HttpResponse<?>>> next) {
        if (!CHANGING.contains(request.getMethod())) {
            return next.proceed();
        }
        String header = request.getHeaders().get(WebSessions.CSRF_HEADER);
        if (header != null) {
            return sessions.csrfMatches(request, header) ? next.proceed() : Mono.just(refuse(request));
        }
        MediaType type = request.getContentType().orElse(null);
        if (type != null && type.matches(MediaType.MULTIPART_FORM_DATA_TYPE)) {
            String token = request.getParameters().get(WebSessions.CSRF_FIELD);
            return sessions.csrfMatches(request, token) ? next.proceed() : Mono.just(refuse(request));
        }
        if (type != null && type.matches(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            return Mono.fromFuture(forms.parseBody(request)).defaultIfEmpty(Map.of()).flatMap(form -> {
                Object token = form.get(WebSessions.CSRF_FIELD);
                return token instanceof String t && sessions.csrfMatches(request, t)
                        ? Mono.from(next.proceed()) : Mono.just(refuse(request));
            });
        }
        return Mono.just(refuse(request));
    }

    private HttpResponse<?> refuse(HttpRequest<?> request) {
        return pages.page(request, null, HttpStatus.FORBIDDEN, "error", Map.of(
                "title", pages.message(request, "csrf.title"),
                "message", pages.message(request, "csrf.message"),
                "home", "/app"));
    }
}
