package jp.yui.server.infra;

import com.nimbusds.jose.jwk.KeyType;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.token.jwt.signature.jwks.JwksSignatureConfiguration;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Objects;

/**
 * The town's OIDC provider, as Micronaut Security's JWKS signature: bearer tokens signed by one of the keys at
 * {@code yui.security.jwks-url} verify. The key set is fetched on first use and cached.
 */
@Singleton
@Named("town")
@Requires(property = "yui.security.jwks-url")
final class TownJwks implements JwksSignatureConfiguration {

    private final String url;

    TownJwks(SecuritySettings settings) {
        this.url = Objects.requireNonNull(settings.jwksUrl(), "yui.security.jwks-url");
    }

    @Override
    public String getName() {
        return "town";
    }

    @Override
    public String getUrl() {
        return url;
    }

    /** Any key type the provider publishes (RSA or EC). */
    @Override
    public KeyType getKeyType() {
        return null;
    }

    @Override
    @SuppressWarnings("removal")
    public Integer getCacheExpiration() {
        return 60;
    }
}
