package jp.yui.server.infra;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A token bucket per API key, in memory (per server instance): a key may make {@code apiKeyBurst} requests at once
 * and {@code apiKeyRatePerSecond} a second on average. Thread-safe.
 */
@Singleton
final class ApiKeyRateLimiter {

    private final double ratePerMilli;
    private final double burst;
    private final Clock clock;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    ApiKeyRateLimiter(SecuritySettings settings, Clock clock) {
        this.ratePerMilli = settings.apiKeyRatePerSecond() / 1000.0;
        this.burst = settings.apiKeyBurst();
        this.clock = clock;
    }

    /**
     * Takes one request's token from the key's bucket.
     *
     * @return 0 if the request may go ahead, else the whole seconds to wait before the next token (at least 1)
     */
    long acquire(String keyId) {
        long now = clock.millis();
        Bucket bucket = buckets.computeIfAbsent(keyId, k -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.refilledAt) * ratePerMilli);
            bucket.refilledAt = Math.max(now, bucket.refilledAt);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            double millis = (1 - bucket.tokens) / ratePerMilli;
            return Math.max(1, (long) Math.ceil(millis / 1000.0));
        }
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }
    }
}
