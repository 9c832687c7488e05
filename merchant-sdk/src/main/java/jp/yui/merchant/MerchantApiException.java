package jp.yui.merchant;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The server answered a request with an error status (not 2xx), described by an RFC 9457 problem document
 * ({@code application/problem+json}). The subclasses name the usual statuses; this class itself is thrown for the
 * rest (405, 413, 415, a 429 the client stopped retrying).
 *
 * <p>{@link #type()} is stable and meant for code: switch on {@link #typeName()} ({@code insufficient-funds},
 * {@code card-pin-wrong}, …, as docs/payments-api.md lists them). An error body that is not a problem document (a
 * proxy's HTML page) is reported with type {@value #ABOUT_BLANK}, the HTTP status as title and the start of the body
 * as detail.
 */
public class MerchantApiException extends MerchantException {

    /** RFC 9457's type for a problem that has no type of its own. */
    public static final String ABOUT_BLANK = "about:blank";

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final String code;
    private final Duration retryAfter;

    MerchantApiException(String message, ApiProblem problem) {
        super(message);
        this.status = problem.status;
        this.type = Objects.requireNonNull(problem.type, "type");
        this.title = Objects.requireNonNull(problem.title, "title");
        this.detail = problem.detail;
        this.code = problem.code;
        this.retryAfter = problem.retryAfter;
    }

    /** @return the HTTP status, 400 to 599 */
    public int status() {
        return status;
    }

    /**
     * @return the problem type, a URI such as {@code https://yui.jp/problems/insufficient-funds}, or
     *     {@value #ABOUT_BLANK}
     */
    public String type() {
        return type;
    }

    /**
     * @return the last path segment of {@link #type()}, e.g. {@code insufficient-funds}; {@value #ABOUT_BLANK} if
     *     untyped
     */
    public String typeName() {
        return typeNameOf(type);
    }

    static String typeNameOf(String type) {
        String trimmed = type.endsWith("/") ? type.substring(0, type.length() - 1) : type;
        int slash = trimmed.lastIndexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(slash + 1);
    }

    /** @return the short summary of the type, the same for every occurrence; never null */
    public String title() {
        return title;
    }

    /** @return what went wrong this time, for a person, if the server said */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    /**
     * @return the ledger's result code behind the problem (e.g. {@code INSUFFICIENT_FUNDS}), if a ledger outcome
     *     caused it
     */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** @return how long the server asked the client to wait ({@code Retry-After} of a 429 or 503), if it did */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
