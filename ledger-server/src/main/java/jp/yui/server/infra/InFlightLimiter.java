package jp.yui.server.infra;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests this process is answering, and refuses one more when {@link ServerSettings#maxInFlight()} are
 * already being answered (0: never refuses, still counts). Thread-safe and lock-free. Made at start, so that a bad
 * setting stops the server then.
 *
 * <p>With Micrometer on, two meters: the gauge {@value #IN_FLIGHT} (requests being answered now) and the counter
 * {@value #REFUSED} (requests refused since start).
 */
@Context
final class InFlightLimiter {

    static final String IN_FLIGHT = "yui.server.requests.in.flight";
    static final String REFUSED = "yui.server.requests.refused";

    private final int max;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    InFlightLimiter(ServerSettings settings, @Nullable MeterRegistry meters) {
        this.max = settings.maxInFlight();
        if (meters != null) {
            Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
                    .description("Requests this process is answering now, counted against yui.server.max-in-flight")
                    .register(meters);
            FunctionCounter.builder(REFUSED, refused, AtomicLong::get)
                    .description("Requests answered 503 server-busy because yui.server.max-in-flight were in flight")
                    .register(meters);
        }
    }

    /**
     * Takes a place for one request.
     *
     * @return the place, to be {@linkplain Permit#release() released} when the request is answered; null if every
     *     place is taken (the refusal is counted)
     */
    @Nullable
    Permit tryAcquire() {
        while (true) {
            int now = inFlight.get();
            if (max > 0 && now >= max) {
                refused.incrementAndGet();
                return null;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return new Permit();
            }
        }
    }

    /** Requests being answered now. */
    int inFlight() {
        return inFlight.get();
    }

    /** Requests refused since start. */
    long refused() {
        return refused.get();
    }

    /** The most requests answered at once; 0 for no limit. */
    int max() {
        return max;
    }

    /** One request's place. Releasing it more than once gives it back once, so every way a request ends may call it. */
    final class Permit {

        private final AtomicBoolean released = new AtomicBoolean();

        private Permit() {
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        }
    }
}
