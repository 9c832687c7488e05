package jp.yui.server.infra;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

/**
 * Refuses bearer tokens without an {@code exp} claim: Micronaut Security checks {@code exp} only when present, and a
 * token that never expires cannot be taken back.
 */
@Singleton
final class ExpiryRequired implements GenericJwtClaimsValidator<HttpRequest<?>> {

    @Override
    public boolean validate(Claims claims, @Nullable HttpRequest<?> request) {
        return claims.get(Claims.EXPIRATION_TIME) != null;
    }
}
