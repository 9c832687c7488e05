package jp.yui.server.infra;

/**
 * The problem types the server's infrastructure answers with. Feature code adds its own business types under the
 * same {@link #BASE} (e.g. {@code https://yui.jp/problems/insufficient-funds}); a type, once published, never
 * changes meaning.
 */
public final class ProblemTypes {

    public static final String BASE = "https://yui.jp/problems/";

    /** 400: a bean-validation constraint failed; {@link Problem#errors()} lists each field. */
    public static final String VALIDATION = BASE + "validation";
    /** 400: the body is not JSON, or a value could not be converted to its parameter's type. */
    public static final String MALFORMED_REQUEST = BASE + "malformed-request";
    /** 400: the ledger (or the server's own precondition) refused a value as malformed. */
    public static final String BAD_REQUEST = BASE + "bad-request";
    /** 400: a POST that moves value came without a valid {@code Idempotency-Key}. */
    public static final String IDEMPOTENCY_KEY_REQUIRED = BASE + "idempotency-key-required";
    /** 401: no credentials, or credentials that do not verify. */
    public static final String UNAUTHORIZED = BASE + "unauthorized";
    /** 403: authenticated, but not allowed to do this (role, region or ownership). */
    public static final String FORBIDDEN = BASE + "forbidden";
    /** 404: no such route or resource. */
    public static final String NOT_FOUND = BASE + "not-found";
    /** 405: the route exists but not for this method. */
    public static final String METHOD_NOT_ALLOWED = BASE + "method-not-allowed";
    /** 406: the server cannot produce any media type the request accepts. */
    public static final String NOT_ACCEPTABLE = BASE + "not-acceptable";
    /** 409: another request with the same idempotency key is still running. */
    public static final String IDEMPOTENCY_KEY_IN_PROGRESS = BASE + "idempotency-key-in-progress";
    /** 413: the body is larger than the server accepts. */
    public static final String PAYLOAD_TOO_LARGE = BASE + "payload-too-large";
    /** 415: the body's content type is not one the route consumes. */
    public static final String UNSUPPORTED_MEDIA_TYPE = BASE + "unsupported-media-type";
    /** 422: an idempotency key was used again with a different request. */
    public static final String IDEMPOTENCY_KEY_REUSED = BASE + "idempotency-key-reused";
    /** 429: the API key made more requests than its rate allows; see {@code Retry-After}. */
    public static final String RATE_LIMITED = BASE + "rate-limited";
    /** 500: a bug or an unexpected failure; the detail says nothing more, the log says everything. */
    public static final String INTERNAL = BASE + "internal";
    /**
     * 503: the server is already answering as many requests as it may ({@code yui.server.max-in-flight}), so it
     * answered this one at once and did nothing for it (no {@code Idempotency-Key} claimed, nothing written); retry
     * after {@code Retry-After} (1 s) with the same ids and key.
     */
    public static final String SERVER_BUSY = BASE + "server-busy";
    /** 503: the region's ledger writer queue is full; retry after {@code Retry-After} with the same ids. */
    public static final String OVERLOADED = BASE + "overloaded";
    /** 503: the database is unreachable or failed a batch; retry with the same ids. */
    public static final String UNAVAILABLE = BASE + "unavailable";

    private ProblemTypes() {
    }
}
