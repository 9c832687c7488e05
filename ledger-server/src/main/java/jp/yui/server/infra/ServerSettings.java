package jp.yui.server.infra;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * How much the server takes on at once ({@code yui.server.*}).
 *
 * @param maxInFlight the most requests this process answers at once ({@code YUI_SERVER_MAX_IN_FLIGHT}), default 256;
 *                    past it a request is answered 503 {@value ProblemTypes#SERVER_BUSY} at once
 *                    ({@link InFlightLimitFilter}). An accepted request waits about {@code maxInFlight / throughput}
 *                    before it is answered, so the limit bounds that wait. 0: no limit
 */
@ConfigurationProperties("yui.server")
record ServerSettings(@Bindable(defaultValue = "256") int maxInFlight) {

    ServerSettings {
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("yui.server.max-in-flight must be >= 0 (0: no limit): " + maxInFlight);
        }
    }
}
