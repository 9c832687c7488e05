package jp.yui.server.infra;

import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Authenticates requests that carry {@value ApiKeys#HEADER}. The key is looked up on the blocking executor (it is
 * a database read), never on the event loop. A bad key yields no authentication, so the request is anonymous and
 * a protected route answers 401.
 */
@Singleton
final class ApiKeyAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {

    private final ApiKeys apiKeys;
    private final Scheduler blocking;

    ApiKeyAuthenticationFetcher(ApiKeys apiKeys, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.apiKeys = apiKeys;
        this.blocking = Schedulers.fromExecutorService(blocking);
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        String header = request.getHeaders().get(ApiKeys.HEADER);
        if (header == null) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> apiKeys.authenticate(header).orElse(null)).subscribeOn(blocking);
    }
}
