package jp.yui.server.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import jp.yui.server.infra.Problem;
import jp.yui.server.infra.ProblemTypes;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every answer under {@code /app} passes here on its way out:
 *
 * <ul>
 *   <li>an error the services or Micronaut answered as a problem document becomes a page in the visitor's language
 *       (the problem's type picks a plain message, e.g. "残高が足りません" for {@code insufficient-funds}), with the
 *       same status;</li>
 *   <li>a 401 (no live session) becomes a redirect to the sign-in page, which comes back here afterwards;</li>
 *   <li>{@code ?lang=} is remembered in a cookie, and the pages' security headers are set.</li>
 * </ul>
 *
 * <p>It runs early (before the in-flight limit and security), so that it also sees what the filters after it answer
 * without a controller: a page refused because the server is full ({@value ProblemTypes#SERVER_BUSY}) is shown as a
 * page.
 */
@ServerFilter("/app/**")
final class WebResponses implements Ordered {

    private final Pages pages;
    private final WebSessions sessions;
    private final Scheduler blocking;

    WebResponses(Pages pages, WebSessions sessions, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.pages = pages;
        this.sessions = sessions;
        this.blocking = Schedulers.fromExecutorService(blocking);
    }

    /**
     * An error page reads the session (for the page header), which is a database read: that part runs on the blocking
     * executor, since a response filter may run on the event loop (a path no route matches answers from there). A
     * request refused because the server is full ({@value ProblemTypes#SERVER_BUSY}) gets its page without the
     * session, right here: nothing more is done for it.
     */
    @ResponseFilter
    Publisher<MutableHttpResponse<?>> respond(HttpRequest<?> request, MutableHttpResponse<?> response) {
        Object body = response.getBody().orElse(null);
        if (body instanceof Problem problem && problem.type().equals(ProblemTypes.SERVER_BUSY)) {
            MutableHttpResponse<?> page = errorPage(request, problem, null);
            response.getHeaders().findFirst(HttpHeaders.RETRY_AFTER)
                    .ifPresent(seconds -> page.header(HttpHeaders.RETRY_AFTER, seconds));
            return Mono.just(finish(request, page));
        }
        if (body instanceof Problem problem && problem.status() != 401) {
            return Mono.<MutableHttpResponse<?>>fromCallable(() -> finish(request,
                    errorPage(request, problem, sessions.peek(request).orElse(null)))).subscribeOn(blocking);
        }
        return Mono.just(finish(request, body instanceof Problem ? toSignIn(request) : response));
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.METRICS.after();
    }

    private static MutableHttpResponse<?> finish(HttpRequest<?> request, MutableHttpResponse<?> out) {
        WebLocale.asked(request).ifPresent(l -> out.cookie(Cookie.of(WebLocale.COOKIE, l.getLanguage()).path("/app")
                .httpOnly(true).sameSite(SameSite.Lax).maxAge(Duration.ofDays(365))));
        return Pages.headers(out);
    }

    private MutableHttpResponse<?> toSignIn(HttpRequest<?> request) {
        String next = request.getMethod() == HttpMethod.GET ? request.getPath() : "/app";
        return Pages.redirect("/app/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
    }

    private MutableHttpResponse<?> errorPage(HttpRequest<?> request, Problem problem,
            @Nullable WebSessions.Session session) {
        Locale locale = WebLocale.of(request);
        String slug = problem.type().startsWith(ProblemTypes.BASE) ? problem.type().substring(ProblemTypes.BASE.length())
                : "";
        String key = pages.hasMessage("problem." + slug, locale) ? "problem." + slug
                : pages.hasMessage("error.status." + problem.status(), locale) ? "error.status." + problem.status()
                : "error.generic";
        Map<String, Object> model = new HashMap<>();
        model.put("title", pages.message(request, "error.title"));
        model.put("message", pages.message(request, key));
        // The service's own words, for staff and for whoever the resident asks for help; never a stack trace (5xx
        // details are generic already).
        if (problem.detail() != null) {
            model.put("detail", problem.detail());
        }
        model.put("home", session == null ? "/app" : session.user().map(u -> u.kind().home()).orElse("/app"));
        HttpStatus status = HttpStatus.valueOf(problem.status());
        return pages.page(request, session, status, "error", model);
    }
}
