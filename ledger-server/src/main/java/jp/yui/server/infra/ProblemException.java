package jp.yui.server.infra;

import java.util.Objects;
import java.util.Optional;

/**
 * Ends a request with an RFC 9457 problem. Feature code throws it for business errors that are not a 2xx; the
 * server turns it into an {@code application/problem+json} response whose body is {@link #toProblem(String)}.
 *
 * <pre>{@code
 * throw new ProblemException(422, ProblemTypes.BASE + "insufficient-funds", "Insufficient funds",
 *         "wallet " + walletId + " holds 120, the payment needs 300", outcome.result().name());
 * }</pre>
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final String code;

    /**
     * @param status an HTTP error status, 400 to 599
     * @param type   the problem type URI, normally under {@value ProblemTypes#BASE}
     * @param title  a short summary of the type
     * @param detail what went wrong this time (shown to the client); may be null
     * @throws IllegalArgumentException if {@code status} is not between 400 and 599
     * @throws NullPointerException if {@code type} or {@code title} is null
     */
    public ProblemException(int status, String type, String title, String detail) {
        this(status, type, title, detail, null);
    }

    /**
     * @param code the ledger's result code behind the problem (e.g. {@code INSUFFICIENT_FUNDS}); may be null
     * @see #ProblemException(int, String, String, String)
     */
    public ProblemException(int status, String type, String title, String detail, String code) {
        // Business problems need no stack trace; a 5xx keeps one for the log.
        super(title + (detail == null ? "" : ": " + detail), null, false, status >= 500);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be between 400 and 599: " + status);
        }
        this.status = status;
        this.type = Objects.requireNonNull(type, "type");
        this.title = Objects.requireNonNull(title, "title");
        this.detail = detail;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    /** What went wrong this time; null if the title says it all. */
    public String detail() {
        return detail;
    }

    /** The ledger's result code, if a ledger outcome caused this problem. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** The problem document for a request to {@code instance} (its path). */
    public Problem toProblem(String instance) {
        return new Problem(type, title, status, detail, instance, code, null);
    }
}
