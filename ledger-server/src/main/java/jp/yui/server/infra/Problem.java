package jp.yui.server.infra;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error response ({@code application/problem+json}).
 *
 * @param type     a URI under {@value ProblemTypes#BASE} naming the kind of problem; stable, clients switch on it
 * @param title    a short summary of the type, the same for every occurrence
 * @param status   the HTTP status code
 * @param detail   what went wrong this time, for a human; never a stack trace
 * @param instance the request path the problem occurred on
 * @param code     the ledger's result code (e.g. {@code INSUFFICIENT_FUNDS}) when a ledger outcome caused it, else absent
 * @param errors   for {@value ProblemTypes#VALIDATION}: one entry per field that failed, else absent
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        @Nullable String detail,
        @Nullable String instance,
        @Nullable String code,
        @Nullable List<FieldError> errors) {

    /**
     * One invalid field.
     *
     * @param field   the field's path in the request, e.g. {@code amount} or {@code lines[2].residentId}
     * @param message what is wrong with it
     */
    @Serdeable
    public record FieldError(String field, String message) {
    }
}
