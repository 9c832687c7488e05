package jp.yui.server.web;

import io.micronaut.http.HttpStatus;
import java.util.Objects;

/**
 * A sign-in through the town's OIDC provider that ends on the sign-in page instead: the provider said no, the
 * browser came back with a sign-in it did not start (or one already used or lapsed), the ID token did not check out,
 * the provider could not be reached, or the person is not someone the pages serve. Every step of the round trip can
 * end this way, so it is one exception caught in one place ({@link OidcLoginController}), which shows
 * {@link #messageKey()} and logs {@link #getMessage()}; nothing is signed in.
 */
final class OidcRefusal extends RuntimeException {

    private final String messageKey;
    private final HttpStatus status;

    /**
     * @param messageKey what the person is told (a key of the pages' messages)
     * @param status     the sign-in page's status
     * @param why        what went wrong, for the log (never a token, code or secret)
     */
    OidcRefusal(String messageKey, HttpStatus status, String why) {
        super(Objects.requireNonNull(why, "why"), null, false, false);
        this.messageKey = Objects.requireNonNull(messageKey, "messageKey");
        this.status = Objects.requireNonNull(status, "status");
    }

    OidcRefusal(String messageKey, HttpStatus status, String why, Throwable cause) {
        super(Objects.requireNonNull(why, "why"), cause, false, false);
        this.messageKey = Objects.requireNonNull(messageKey, "messageKey");
        this.status = Objects.requireNonNull(status, "status");
    }

    /** The sign-in lapsed, was used already, or was never started in this browser. */
    static OidcRefusal stale(String why) {
        return new OidcRefusal("login.oidc.stale", HttpStatus.BAD_REQUEST, why);
    }

    /** The provider's answer or ID token did not check out. */
    static OidcRefusal invalid(String why) {
        return new OidcRefusal("login.oidc.invalid", HttpStatus.UNAUTHORIZED, why);
    }

    static OidcRefusal invalid(String why, Throwable cause) {
        return new OidcRefusal("login.oidc.invalid", HttpStatus.UNAUTHORIZED, why, cause);
    }

    /** The provider could not be reached or answered nonsense. */
    static OidcRefusal unavailable(String why, Throwable cause) {
        return new OidcRefusal("login.oidc.unavailable", HttpStatus.SERVICE_UNAVAILABLE, why, cause);
    }

    /** Someone the provider vouches for, but whom the pages do not serve. */
    static OidcRefusal notServed(String messageKey, String why) {
        return new OidcRefusal(messageKey, HttpStatus.FORBIDDEN, why);
    }

    String messageKey() {
        return messageKey;
    }

    HttpStatus status() {
        return status;
    }
}
