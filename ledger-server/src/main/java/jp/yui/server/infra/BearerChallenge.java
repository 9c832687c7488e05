package jp.yui.server.infra;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.WwwAuthenticateChallengeProvider;
import jakarta.inject.Singleton;

/** {@code WWW-Authenticate: Bearer realm="yui"} on 401 and 403 answers, as RFC 6750 asks of bearer-token APIs. */
@Singleton
final class BearerChallenge implements WwwAuthenticateChallengeProvider<HttpRequest<?>> {

    @Override
    public String getWwwAuthenticateChallenge(@Nullable HttpRequest<?> request) {
        return "Bearer realm=\"yui\"";
    }
}
