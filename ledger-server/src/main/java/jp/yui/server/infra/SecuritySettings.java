package jp.yui.server.infra;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How callers authenticate.
 *
 * @param jwksUrl              the town's OIDC provider's JWKS ({@code YUI_SECURITY_JWKS_URL}); bearer tokens signed
 *                             by one of its keys are accepted. Unset: only demo tokens (in demo mode) and API keys
 * @param apiKeyRatePerSecond  requests per second each API key may make on average
 *                             ({@code YUI_SECURITY_API_KEY_RATE_PER_SECOND}), default 50
 * @param apiKeyBurst          requests an API key may make at once after being idle ({@code YUI_SECURITY_API_KEY_BURST}),
 *                             default 100
 * @param apiKeyCache          how long a server process trusts an API key it has checked before it reads the key
 *                             again ({@code YUI_SECURITY_API_KEY_CACHE}), default 5 s; 0 reads it on every request. A
 *                             key revoked through this process is refused at once, one revoked through another
 *                             process (or in SQL) within this time
 */
@ConfigurationProperties("yui.security")
record SecuritySettings(
        @Nullable String jwksUrl,
        @Bindable(defaultValue = "50") double apiKeyRatePerSecond,
        @Bindable(defaultValue = "100") int apiKeyBurst,
        @Bindable(defaultValue = "5s") Duration apiKeyCache) {

    SecuritySettings {
        if (!(apiKeyRatePerSecond > 0)) {
            throw new IllegalArgumentException("yui.security.api-key-rate-per-second must be > 0: " + apiKeyRatePerSecond);
        }
        if (apiKeyBurst < 1) {
            throw new IllegalArgumentException("yui.security.api-key-burst must be >= 1: " + apiKeyBurst);
        }
        if (apiKeyCache == null || apiKeyCache.isNegative()) {
            throw new IllegalArgumentException("yui.security.api-key-cache must be >= 0: " + apiKeyCache);
        }
    }
}
