package jp.yui.server.infra;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sheds load: when {@code yui.server.max-in-flight} requests are already being answered, the next one is answered at
 * once with 503 {@value ProblemTypes#SERVER_BUSY} and {@code Retry-After: 1}, and nothing else is done for it (it
 * reaches no controller, so no {@code Idempotency-Key} is claimed and nothing is written). Without this, requests
 * beyond what the server can do would wait in the blocking executor without bound, until their clients (and their
 * one-minute customer codes) had given up.
 *
 * <p>Runs early, before security, so a refusal costs no API-key or token check; after the pages' own filter, which
 * shows a refused page as a page ({@code jp.yui.server.web.WebResponses}). Refusals are counted by
 * {@link InFlightLimiter}'s meters, not in {@code http.server.requests}, whose filter runs last. A request holds its place from here until its response comes back through
 * this filter on its way to be written, or the response fails or is cancelled (a client gone); a place is given back
 * once, whichever comes first.
 *
 * <p>Not counted, never refused: {@code GET}/{@code HEAD} of {@code /health} and {@code /prometheus} (monitoring must
 * see a full server), and of what is served from memory ({@code /openapi.yml}, {@code /swagger-ui}, the pages'
 * {@code /app/assets}). The pages themselves ({@code /app/**}) count like the API: they use the same database
 * connections; a refused page says the service is busy, nothing was done, and to try again in a few seconds.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class InFlightLimitFilter implements Ordered {

    /** Seconds a refused client is asked to wait: about how long the requests in flight take to clear. */
    static final String RETRY_AFTER_SECONDS = "1";

    // One instance for every refusal: shedding must stay cheap (no stack trace per refused request).
    private static final ProblemException BUSY = new ProblemException(503, ProblemTypes.SERVER_BUSY, "Server busy",
            "The server is answering as many requests as it can; nothing was done for this one. Retry after the delay"
                    + " in Retry-After with the same Idempotency-Key");

    private final InFlightLimiter limiter;
    private final ErrorResponseProcessor<?> processor;

    InFlightLimitFilter(InFlightLimiter limiter, ErrorResponseProcessor<?> processor) {
        this.limiter = limiter;
        this.processor = processor;
    }

    @RequestFilter
    Publisher<HttpResponse<?>> admit(HttpRequest<?> request, FilterContinuation<Publisher<HttpResponse<?>>> next) {
        if (exempt(request)) {
            return next.proceed();
        }
        InFlightLimiter.Permit permit = limiter.tryAcquire();
        if (permit == null) {
            return Mono.just(busy(request));
        }
        Publisher<HttpResponse<?>> answer;
        try {
            answer = next.proceed();
        } catch (RuntimeException | Error e) {
            permit.release();
            throw e;
        }
        // The response releases the place before it goes on to be written (so a client that has its answer finds the
        // place free); doFinally covers every other ending: an error, a cancellation, no response at all.
        return Flux.from(answer).doOnNext(response -> permit.release()).doFinally(signal -> permit.release());
    }

    private MutableHttpResponse<?> busy(HttpRequest<?> request) {
        MutableHttpResponse<?> response = HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        return processor.processResponse(ErrorContext.builder(request).cause(BUSY).errorMessage("server busy").build(),
                response);
    }

    /** Whether the request is monitoring or a file served from memory, which is never counted nor refused. */
    static boolean exempt(HttpRequest<?> request) {
        HttpMethod method = request.getMethod();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return false;
        }
        String path = request.getPath();
        return path.equals("/health") || path.startsWith("/health/") || path.equals("/prometheus")
                || path.equals("/openapi.yml") || path.equals("/swagger-ui") || path.startsWith("/swagger-ui/")
                || path.startsWith("/app/assets/");
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SESSION.before();
    }
}
