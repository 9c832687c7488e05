package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.util.List;
import java.util.Map;
import jp.yui.server.ServerTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProblemResponsesTest extends ServerTest {

    private String token;

    @BeforeAll
    void signIn() {
        token = token("officer-1", List.of(Roles.PROGRAMME_OFFICER), 1L, null);
    }

    private HttpClientResponseException fails(HttpRequest<?> request) {
        return assertThrows(HttpClientResponseException.class, () -> http().exchange(request, String.class));
    }

    private static void assertProblemJson(HttpClientResponseException e) {
        assertThat(e.getResponse().getContentType()).hasValue(MediaType.APPLICATION_JSON_PROBLEM_TYPE);
    }

    @Test
    void problemExceptionBecomesItsProblem() {
        var e = fails(get("/infra-test/problem", token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.CONFLICT.getCode());
        assertProblemJson(e);
        assertThat(problem(e)).isEqualTo(new Problem(ProblemTypes.BASE + "test-conflict", "Conflict", 409,
                "it clashes", "/infra-test/problem", "EXISTS_WITH_DIFFERENT_FIELDS", null));
    }

    @Test
    void invalidFieldsAreListed() {
        var e = fails(post("/infra-test/validated", Map.of("name", " ", "amount", -5), token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
        assertProblemJson(e);
        Problem p = problem(e);
        assertThat(p.type()).isEqualTo(ProblemTypes.VALIDATION);
        assertThat(p.detail()).isEqualTo("2 fields are invalid");
        assertThat(p.errors()).containsExactly(
                new Problem.FieldError("amount", "must be greater than 0"),
                new Problem.FieldError("name", "must not be blank"));
    }

    @Test
    void invalidQueryValueIsNamed() {
        var e = fails(get("/infra-test/items/3?limit=500", token));

        Problem p = problem(e);
        assertThat(p.type()).isEqualTo(ProblemTypes.VALIDATION);
        assertThat(p.errors()).containsExactly(new Problem.FieldError("limit", "must be less than or equal to 100"));
    }

    @Test
    void malformedJsonIsMalformedRequest() {
        var e = fails(HttpRequest.POST("/infra-test/validated", "{\"name\": \"x\", \"amount\": ")
                .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
        assertProblemJson(e);
        assertThat(problem(e).type()).isEqualTo(ProblemTypes.MALFORMED_REQUEST);
    }

    @Test
    void unconvertiblePathValueIsMalformedRequest() {
        var e = fails(get("/infra-test/items/abc", token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
        Problem p = problem(e);
        assertThat(p.type()).isEqualTo(ProblemTypes.MALFORMED_REQUEST);
        assertThat(p.detail()).contains("abc");
    }

    @Test
    void unknownRouteIsNotFound() {
        var e = fails(get("/no/such/route", token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.NOT_FOUND.getCode());
        assertProblemJson(e);
        assertThat(problem(e)).isEqualTo(new Problem(ProblemTypes.NOT_FOUND, "Not found", 404,
                "Nothing here: /no/such/route", "/no/such/route", null, null));
    }

    @Test
    void unknownRouteIsNotFoundForAnonymousCallersToo() {
        var e = fails(HttpRequest.GET("/no/such/route"));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.NOT_FOUND.getCode());
        assertThat(problem(e).type()).isEqualTo(ProblemTypes.NOT_FOUND);
    }

    @Test
    void wrongMethodIsMethodNotAllowed() {
        var e = fails(HttpRequest.DELETE("/infra-test/caller").bearerAuth(token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED.getCode());
        assertProblemJson(e);
        assertThat(problem(e).type()).isEqualTo(ProblemTypes.METHOD_NOT_ALLOWED);
        assertThat(e.getResponse().getHeaders().get(HttpHeaders.ALLOW)).contains("GET");
    }

    @Test
    void wrongContentTypeIsUnsupportedMediaType() {
        var e = fails(HttpRequest.POST("/infra-test/validated", "name=x")
                .contentType(MediaType.TEXT_PLAIN_TYPE).bearerAuth(token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode());
        assertProblemJson(e);
        assertThat(problem(e).type()).isEqualTo(ProblemTypes.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void unexpectedFailureIsInternalWithoutItsMessage() {
        var e = fails(get("/infra-test/boom", token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR.getCode());
        assertProblemJson(e);
        String body = e.getResponse().getBody(String.class).orElseThrow();
        assertThat(body).doesNotContain("secret", "IllegalStateException", "at jp.yui");
        assertThat(problem(e)).isEqualTo(new Problem(ProblemTypes.INTERNAL, "Internal error", 500,
                "The server failed unexpectedly; the failure has been logged", "/infra-test/boom", null, null));
    }

    @Test
    void overloadedLedgerAsksToRetryAfterASecond() {
        var e = fails(get("/infra-test/overloaded", token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.getCode());
        assertProblemJson(e);
        assertThat(e.getResponse().getHeaders().get(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(problem(e).type()).isEqualTo(ProblemTypes.OVERLOADED);
    }

    @Test
    void unavailableLedgerIsUnavailable() {
        var e = fails(get("/infra-test/unavailable", token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.getCode());
        assertThat(e.getResponse().getHeaders().get(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        Problem p = problem(e);
        assertThat(p.type()).isEqualTo(ProblemTypes.UNAVAILABLE);
        assertThat(p.detail()).doesNotContain("connection refused");
    }

    @Test
    void databaseGoingAwayIsUnavailable() {
        var e = fails(get("/infra-test/database-down", token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.getCode());
        assertThat(problem(e).type()).isEqualTo(ProblemTypes.UNAVAILABLE);
    }

    @Test
    void ledgerRefusingAValueIsBadRequestWithItsMessage() {
        var e = fails(get("/infra-test/ledger-argument", token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
        assertThat(problem(e)).isEqualTo(new Problem(ProblemTypes.BAD_REQUEST, "Bad request", 400,
                "maxBatch must be between 1 and 100000: 0", "/infra-test/ledger-argument", null, null));
    }

    @Test
    void libraryRefusingAnArgumentIsInternal() {
        var e = fails(get("/infra-test/library-argument", token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR.getCode());
        assertThat(problem(e).type()).isEqualTo(ProblemTypes.INTERNAL);
        assertThat(problem(e).detail()).doesNotContain("internal");
    }

    @Test
    void headRequestsGetNoBody() {
        var e = fails(HttpRequest.HEAD("/no/such/route").bearerAuth(token));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.NOT_FOUND.getCode());
        assertThat(e.getResponse().getBody(String.class)).isEmpty();
    }
}
