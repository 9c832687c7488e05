package jp.yui.merchant;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends the client's requests: authentication and content headers, the idempotency key, retries with back-off, and
 * error responses turned into exceptions. One instance per client; thread-safe.
 *
 * <p>What is retried: an {@link IOException} (connection refused or reset, DNS, TLS, a timeout) and the statuses 429
 * and 5xx. A 4xx other than 429 is the request's own fault and would fail the same way again. Every attempt of one
 * call sends the same request, so the same {@code Idempotency-Key}: the server acts at most once.
 */
final class Transport {

    static final String API_KEY_HEADER = "X-Api-Key";
    static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    static final String USER_AGENT = "yui-merchant-sdk-java";

    private final HttpClient http;
    private final String base;
    private final String apiKey;
    private final Duration requestTimeout;
    private final RetryPolicy retry;
    private final Clock clock;
    private final Delays delays;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param base the base URI without a trailing slash; paths are appended to it
     */
    Transport(HttpClient http, String base, String apiKey, Duration requestTimeout, RetryPolicy retry, Clock clock,
              Delays delays) {
        this.http = http;
        this.base = base;
        this.apiKey = apiKey;
        this.requestTimeout = requestTimeout;
        this.retry = retry;
        this.clock = clock;
        this.delays = delays;
    }

    /**
     * @param pathAndQuery starts with {@code /}, query already encoded
     * @param what         the name of the answer's object, for messages
     * @return the answer's body; completes exceptionally as {@link #send} says
     */
    CompletableFuture<Json> get(String pathAndQuery, String what) {
        return send(request(pathAndQuery).GET().build(), "GET " + pathAndQuery, what);
    }

    /**
     * @param body           the JSON body, or null to send none
     * @param idempotencyKey sent on every attempt
     * @return the answer's body; completes exceptionally as {@link #send} says
     */
    CompletableFuture<Json> post(String path, ObjectNode body, String idempotencyKey, String what) {
        HttpRequest.Builder builder = request(path).header(IDEMPOTENCY_KEY_HEADER, idempotencyKey);
        if (body == null) {
            builder.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), UTF_8));
        }
        return send(builder.build(), "POST " + path, what);
    }

    /** @throws IllegalStateException if {@link #close()} was called */
    void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("MerchantClient is closed");
        }
    }

    /** Refuses new calls and ends pending retries; a request already sent runs to its end. */
    void close() {
        closed.set(true);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(requestTimeout)
                .header(API_KEY_HEADER, apiKey)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", USER_AGENT);
    }

    /**
     * @return the 2xx answer's body as JSON. Completes exceptionally with a {@link MerchantApiException} subclass for
     *     an error status (after retries, for 429 and 5xx), {@link MerchantTransportException} if the last attempt
     *     could not reach the server, {@link MerchantException} if a 2xx body is not a JSON object, or
     *     {@link IllegalStateException} if the client was closed while waiting to retry
     */
    private CompletableFuture<Json> send(HttpRequest request, String description, String what) {
        CompletableFuture<Json> result = new CompletableFuture<>();
        attempt(request, description, what, 1, result);
        return result;
    }

    private void attempt(HttpRequest request, String description, String what, int attempt,
                         CompletableFuture<Json> result) {
        if (result.isDone()) {
            return; // the caller cancelled
        }
        if (closed.get()) {
            result.completeExceptionally(new IllegalStateException(
                    "MerchantClient was closed before attempt " + attempt + " of " + description));
            return;
        }
        CompletableFuture<HttpResponse<String>> response;
        try {
            response = http.sendAsync(request, HttpResponse.BodyHandlers.ofString(UTF_8));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        response.whenComplete((answer, failure) -> {
            try {
                if (failure != null) {
                    failed(request, description, what, attempt, unwrap(failure), result);
                } else {
                    answered(request, description, what, attempt, answer, result);
                }
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
    }

    private void failed(HttpRequest request, String description, String what, int attempt, Throwable failure,
                        CompletableFuture<Json> result) {
        if (!(failure instanceof IOException)) {
            result.completeExceptionally(failure);
            return;
        }
        Duration delay = retry.nextDelay(attempt, null);
        if (delay != null) {
            retryLater(request, description, what, attempt, delay, result);
            return;
        }
        result.completeExceptionally(new MerchantTransportException(description + " failed after " + attempt
                + (attempt == 1 ? " attempt: " : " attempts: ") + failure, attempt, failure));
    }

    private void answered(HttpRequest request, String description, String what, int attempt,
                          HttpResponse<String> answer, CompletableFuture<Json> result) {
        int status = answer.statusCode();
        if (status >= 200 && status < 300) {
            result.complete(Json.parse(answer.body(), what));
            return;
        }
        HttpHeaders headers = answer.headers();
        Duration retryAfter = retryAfter(headers.firstValue("Retry-After").orElse(null));
        String note = "";
        if (status == 429 || status >= 500) {
            Duration delay = retry.nextDelay(attempt, retryAfter);
            if (delay != null) {
                retryLater(request, description, what, attempt, delay, result);
                return;
            }
            if (attempt < retry.maxAttempts) {
                note = " (not retried: Retry-After " + retryAfter.getSeconds() + " s is longer than the "
                        + retry.maxBackoff.toMillis() + " ms maximum back-off)";
            } else if (attempt > 1) {
                note = " (after " + attempt + " attempts)";
            }
        }
        result.completeExceptionally(ApiErrors.toException(description, status,
                headers.firstValue("Content-Type").orElse(null), answer.body(), retryAfter, note));
    }

    private void retryLater(HttpRequest request, String description, String what, int attempt, Duration delay,
                            CompletableFuture<Json> result) {
        CompletableFuture.runAsync(() -> attempt(request, description, what, attempt + 1, result),
                delays.after(delay));
    }

    /**
     * @param value a {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110 §10.2.3)
     * @return the wait it asks for, never negative; null if absent or unreadable (then the back-off decides)
     */
    Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        if (trimmed.matches("[0-9]{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(trimmed));
        }
        try {
            Duration wait = Duration.between(clock.instant(),
                    ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
