package jp.yui.server.infra;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import jp.yui.ledger.LedgerOverloadedException;
import jp.yui.ledger.LedgerUnavailableException;

/**
 * Writes every error response of the server as {@code application/problem+json}: Micronaut's own (no route, wrong
 * method or media type, unreadable body, failed validation), Micronaut Security's 401 and 403, and the exceptions
 * {@link ExceptionProblems} handles. Being the only {@link ErrorResponseProcessor}, it replaces Micronaut's default
 * JSON error body everywhere.
 *
 * <p>5xx bodies never carry an exception's message: those go to the log.
 */
@Singleton
final class ProblemResponseProcessor implements ErrorResponseProcessor<Problem> {

    /** Longest detail copied from a framework message (they can quote the request back). */
    private static final int MAX_DETAIL = 300;

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpRequest<?> request = context.getRequest();
        if (request.getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<Problem>) response;
        }
        Problem problem = problem(context, response.code(), request.getPath());
        return response.body(problem).contentType(MediaType.APPLICATION_JSON_PROBLEM_TYPE);
    }

    static Problem problem(ErrorContext context, int status, String instance) {
        Throwable cause = context.getRootCause().orElse(null);
        if (cause instanceof ProblemException p) {
            return p.toProblem(instance);
        }
        if (cause instanceof ConstraintViolationException violations && status == 400) {
            List<Problem.FieldError> errors = fieldErrors(violations);
            return new Problem(ProblemTypes.VALIDATION, "Invalid request", status,
                    errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid",
                    instance, null, errors.isEmpty() ? null : errors);
        }
        if (cause instanceof LedgerOverloadedException && status == 503) {
            return new Problem(ProblemTypes.OVERLOADED, "Too busy", status,
                    "The region's ledger is busy; retry after the delay in Retry-After with the same ids", instance,
                    null, null);
        }
        if (cause instanceof LedgerUnavailableException && status == 503) {
            return new Problem(ProblemTypes.UNAVAILABLE, "Service unavailable", status,
                    "The ledger could not reach its database; retry with the same ids", instance, null, null);
        }
        String message = context.getErrors().stream().map(Error::getMessage).findFirst().orElse(null);
        return switch (status) {
            // An IllegalArgumentException reaches here only from ExceptionProblems: refused by Yui's own code.
            case 400 -> cause instanceof IllegalArgumentException
                    ? new Problem(ProblemTypes.BAD_REQUEST, "Bad request", status, clip(cause.getMessage()), instance,
                            null, null)
                    : new Problem(ProblemTypes.MALFORMED_REQUEST, "Malformed request", status,
                            clip(malformed(message)), instance, null, null);
            case 401 -> new Problem(ProblemTypes.UNAUTHORIZED, "Unauthorized", status,
                    "This needs a valid bearer token or X-Api-Key", instance, null, null);
            case 403 -> new Problem(ProblemTypes.FORBIDDEN, "Forbidden", status,
                    "The caller may not do this", instance, null, null);
            case 404 -> new Problem(ProblemTypes.NOT_FOUND, "Not found", status,
                    "Nothing here: " + instance, instance, null, null);
            case 405 -> new Problem(ProblemTypes.METHOD_NOT_ALLOWED, "Method not allowed", status, clip(message),
                    instance, null, null);
            case 406 -> new Problem(ProblemTypes.NOT_ACCEPTABLE, "Not acceptable", status, clip(message), instance,
                    null, null);
            case 413 -> new Problem(ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large", status, clip(message),
                    instance, null, null);
            case 415 -> new Problem(ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", status,
                    clip(message), instance, null, null);
            case 429 -> new Problem(ProblemTypes.RATE_LIMITED, "Too many requests", status,
                    "This API key sent more requests than its rate allows; retry after the delay in Retry-After",
                    instance, null, null);
            case 500 -> new Problem(ProblemTypes.INTERNAL, "Internal error", status,
                    "The server failed unexpectedly; the failure has been logged", instance, null, null);
            case 503 -> new Problem(ProblemTypes.UNAVAILABLE, "Service unavailable", status,
                    "The server cannot answer now; retry later", instance, null, null);
            default -> new Problem("about:blank", reason(status), status, status < 500 ? clip(message) : null,
                    instance, null, null);
        };
    }

    private static List<Problem.FieldError> fieldErrors(ConstraintViolationException exception) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (exception.getConstraintViolations() != null) {
            for (ConstraintViolation<?> violation : exception.getConstraintViolations()) {
                errors.add(new Problem.FieldError(field(violation.getPropertyPath()), violation.getMessage()));
            }
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message));
        return errors;
    }

    /**
     * The path of a violation as the client knows it: {@code create.request.lines[2].amount} becomes
     * {@code lines[2].amount} (the method and the body parameter's name mean nothing to the client), while a
     * violated parameter itself ({@code list.limit}) stays {@code limit}.
     */
    static String field(Path path) {
        List<Path.Node> nodes = new ArrayList<>();
        for (Path.Node node : path) {
            if (node.getKind() != ElementKind.METHOD && node.getKind() != ElementKind.CONSTRUCTOR) {
                nodes.add(node);
            }
        }
        if (nodes.size() > 1 && nodes.get(0).getKind() == ElementKind.PARAMETER) {
            nodes.remove(0);
        }
        StringBuilder field = new StringBuilder();
        Iterator<Path.Node> i = nodes.iterator();
        while (i.hasNext()) {
            Path.Node node = i.next();
            if (node.isInIterable()) {
                field.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
            }
            if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return field.isEmpty() ? "request" : field.toString();
    }

    private static final Pattern BODY_PREFIX =
            Pattern.compile("^Failed to convert argument \\[[^\\]]*\\] for value \\[null\\] due to: ");
    private static final Pattern JAVA_TYPE = Pattern.compile(" of type \\[class [^\\]]*\\]");
    private static final Pattern PARSER_LOCATION = Pattern.compile("\\s*(\\(start marker at )?\\[Source: .*$|\\n.*$",
            Pattern.DOTALL);

    /**
     * A body-decoding message without what only the server knows: the body parameter's name, the Java class it
     * decodes to, and the parser's location noise ({@code [Source: REDACTED ...]}).
     */
    static String malformed(String message) {
        if (message == null) {
            return null;
        }
        String m = BODY_PREFIX.matcher(message).replaceFirst("");
        m = JAVA_TYPE.matcher(m).replaceAll("");
        m = PARSER_LOCATION.matcher(m).replaceFirst("");
        return m.isBlank() ? "The request body could not be read" : m.strip();
    }

    private static String clip(String message) {
        if (message == null) {
            return null;
        }
        return message.length() <= MAX_DETAIL ? message : message.substring(0, MAX_DETAIL) + "…";
    }

    private static String reason(int status) {
        try {
            return io.micronaut.http.HttpStatus.valueOf(status).getReason();
        } catch (IllegalArgumentException e) {
            return "HTTP " + status;
        }
    }
}
