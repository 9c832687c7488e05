package jp.yui.server.infra;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import jp.yui.ledger.LedgerOverloadedException;
import jp.yui.ledger.LedgerUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every exception that Micronaut has no more specific handler for:
 *
 * <ul>
 *   <li>{@link ProblemException}: its own status and problem;</li>
 *   <li>{@link LedgerOverloadedException}: 503 {@value ProblemTypes#OVERLOADED} with {@code Retry-After: 1};</li>
 *   <li>{@link LedgerUnavailableException}, and SQL failures that say the database is unreachable, out of
 *       resources, shutting down or that the transaction lost a serialisation race: 503
 *       {@value ProblemTypes#UNAVAILABLE} with {@code Retry-After: 1};</li>
 *   <li>{@link IllegalArgumentException} thrown by Yui's code (the ledger's value types refuse malformed input this
 *       way, with a message naming the value): 400 {@value ProblemTypes#BAD_REQUEST};</li>
 *   <li>anything else: 500 {@value ProblemTypes#INTERNAL}, logged with its stack trace, nothing of it in the body.</li>
 * </ul>
 *
 * {@link CompletionException} and {@link ExecutionException} (a joined ledger future) are unwrapped first.
 */
@Singleton
@Produces
final class ExceptionProblems implements ExceptionHandler<Exception, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(ExceptionProblems.class);

    private final ErrorResponseProcessor<?> processor;

    ExceptionProblems(ErrorResponseProcessor<?> processor) {
        this.processor = processor;
    }

    @Override
    @SuppressWarnings("rawtypes") // the interface's signature
    public HttpResponse<?> handle(HttpRequest request, Exception exception) {
        Throwable e = unwrap(exception);
        MutableHttpResponse<?> response;
        if (e instanceof ProblemException p) {
            response = HttpResponse.status(HttpStatus.valueOf(p.status()));
            if (p.status() >= 500) {
                LOG.warn("{} {} answered {}: {}", request.getMethod(), request.getPath(), p.status(), p.getMessage(), p);
            }
        } else if (e instanceof LedgerOverloadedException) {
            LOG.warn("{} {} answered 503: {}", request.getMethod(), request.getPath(), e.getMessage());
            response = HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1");
        } else if (e instanceof LedgerUnavailableException || databaseUnavailable(e)) {
            LOG.warn("{} {} answered 503", request.getMethod(), request.getPath(), e);
            response = HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1");
        } else if (e instanceof IllegalArgumentException && thrownByYui(e)) {
            LOG.debug("{} {} answered 400", request.getMethod(), request.getPath(), e);
            response = HttpResponse.badRequest();
        } else {
            LOG.error("{} {} failed unexpectedly", request.getMethod(), request.getPath(), e);
            response = HttpResponse.serverError();
        }
        return processor.processResponse(ErrorContext.builder(request).cause(e).errorMessage(
                response.reason()).build(), response);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Whether a SQL failure in the cause chain means "try again later" rather than a bug: connection failures
     * (SQLSTATE class 08), insufficient resources (53), operator intervention (57P), serialisation failures and
     * deadlocks (40001, 40P01), and the pool's own timeout ({@link SQLTransientException}).
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                        || state.equals("40001") || state.equals("40P01")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the first frame outside the JDK belongs to Yui (so the message was written for the caller). */
    static boolean thrownByYui(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            String c = frame.getClassName();
            if (c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("jdk.") || c.startsWith("sun.")) {
                continue;
            }
            return c.startsWith("jp.yui.");
        }
        return false;
    }
}
