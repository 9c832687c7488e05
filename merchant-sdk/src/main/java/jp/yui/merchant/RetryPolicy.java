package jp.yui.merchant;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When the client tries again: at most {@code maxAttempts} attempts in all, waiting between them an exponential
 * back-off with full jitter (a random time between zero and {@code min(max, initial × 2^(n-1))} after the n-th
 * failure), so that many tills that failed together do not retry together. A server's {@code Retry-After} is the least
 * wait: the jittered back-off comes on top of it (tills a full server refused in the same second, all told
 * {@code Retry-After: 1}, would otherwise all come back in the same millisecond and be refused again together). A
 * {@code Retry-After} longer than {@code max} ends the retries, since the person at the till is waiting. Immutable.
 */
final class RetryPolicy {

    final int maxAttempts;
    final Duration initialBackoff;
    final Duration maxBackoff;
    private final DoubleSupplier jitter;

    /**
     * @param jitter values in {@code [0, 1)}, the fraction of the cap to wait
     */
    RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, DoubleSupplier jitter) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.jitter = jitter;
    }

    /**
     * @param failedAttempts how many attempts have failed so far, {@code >= 1}
     * @return how long to wait before the next attempt, {@code 0 <= wait < cap}
     */
    Duration backoff(int failedAttempts) {
        long initial = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        int shift = failedAttempts - 1;
        // initial << shift, without overflowing: it reaches max first.
        long cap = shift >= 63 || initial > (max >> shift) ? max : initial << shift;
        return Duration.ofNanos((long) (jitter.getAsDouble() * cap));
    }

    /**
     * @param failedAttempts how many attempts have failed so far, {@code >= 1}
     * @param retryAfter     what the server's {@code Retry-After} asked for, or null
     * @return how long to wait before the next attempt: {@code retryAfter} (if any) plus {@link #backoff(int)}; or null
     *     if there is to be none (the last attempt failed, or {@code retryAfter} is longer than the maximum back-off)
     */
    Duration nextDelay(int failedAttempts, Duration retryAfter) {
        if (failedAttempts >= maxAttempts) {
            return null;
        }
        if (retryAfter != null) {
            return retryAfter.compareTo(maxBackoff) <= 0 ? retryAfter.plus(backoff(failedAttempts)) : null;
        }
        return backoff(failedAttempts);
    }
}
