package jp.yui.server.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the web pages ({@code yui.web} in application.yml; each also an environment variable such as
 * {@code YUI_WEB_SESSION_IDLE_TIMEOUT}).
 *
 * @param sessionIdleTimeout a session ends after this long without a request (default 30 minutes)
 * @param sessionMaxAge      a session ends this long after sign-in whatever happens (default 12 hours)
 * @param maxSessions        the most signed-in sessions the database keeps, all server processes together; past it
 *                           the minutely sweep ends the least recently used (default 100,000). Visitors who have not
 *                           signed in take no room.
 * @param expiryWarningDays  residents are warned about value that expires within this many days (default 30)
 */
@ConfigurationProperties("yui.web")
public record WebSettings(
        @Bindable(defaultValue = "30m") Duration sessionIdleTimeout,
        @Bindable(defaultValue = "12h") Duration sessionMaxAge,
        @Bindable(defaultValue = "100000") int maxSessions,
        @Bindable(defaultValue = "30") int expiryWarningDays) {

    public WebSettings {
        Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
        Objects.requireNonNull(sessionMaxAge, "sessionMaxAge");
        if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
            throw new IllegalArgumentException("yui.web.session-idle-timeout must be > 0: " + sessionIdleTimeout);
        }
        if (sessionMaxAge.compareTo(sessionIdleTimeout) < 0) {
            throw new IllegalArgumentException("yui.web.session-max-age must be at least the idle timeout: "
                    + sessionMaxAge + " < " + sessionIdleTimeout);
        }
        if (maxSessions < 10) {
            throw new IllegalArgumentException("yui.web.max-sessions must be >= 10: " + maxSessions);
        }
        if (expiryWarningDays < 1 || expiryWarningDays > 366) {
            throw new IllegalArgumentException("yui.web.expiry-warning-days must be 1 to 366: " + expiryWarningDays);
        }
    }
}
