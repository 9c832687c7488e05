package jp.yui.server.infra;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.security.authentication.Authentication;

/**
 * Answers 429 {@value ProblemTypes#RATE_LIMITED}, with {@code Retry-After}, to an API key that exceeds its rate.
 * Runs right after the security filter, so only authenticated keys are counted (a stranger cannot use up a
 * key's allowance by guessing at it).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class ApiKeyRateLimitFilter implements Ordered {

    private final ApiKeyRateLimiter limiter;
    private final ErrorResponseProcessor<?> processor;

    ApiKeyRateLimitFilter(ApiKeyRateLimiter limiter, ErrorResponseProcessor<?> processor) {
        this.limiter = limiter;
        this.processor = processor;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> limit(HttpRequest<?> request) {
        Object keyId = request.getUserPrincipal(Authentication.class)
                .map(a -> a.getAttributes().get(Caller.KEY_ID))
                .orElse(null);
        if (keyId == null) {
            return null;
        }
        long wait = limiter.acquire(keyId.toString());
        if (wait == 0) {
            return null;
        }
        MutableHttpResponse<?> response = HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(wait));
        return processor.processResponse(ErrorContext.builder(request).errorMessage("rate limited").build(), response);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }
}
