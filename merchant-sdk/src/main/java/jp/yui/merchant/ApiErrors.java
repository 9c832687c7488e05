package jp.yui.merchant;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** Turns an error response into the {@link MerchantApiException} subclass its status names. */
final class ApiErrors {

    /** How much of a body that is not a problem document (a proxy's error page) goes into the detail. */
    private static final int EXCERPT_CHARS = 200;

    private ApiErrors() {
    }

    /**
     * @param request     what was asked, for the message: {@code POST /regions/7/payments}
     * @param status      the response's status, not 2xx
     * @param contentType the response's {@code Content-Type}, or null
     * @param body        the response's body, possibly empty
     * @param retryAfter  the response's {@code Retry-After}, or null
     * @param note        appended to the message (how many attempts were made), or empty
     */
    static MerchantApiException toException(String request, int status, String contentType, String body,
                                            Duration retryAfter, String note) {
        ApiProblem problem = problem(status, contentType, body, retryAfter);
        String typeName = MerchantApiException.typeNameOf(problem.type);
        String message = request + " answered " + status + " " + typeName + ": "
                + (problem.detail != null ? problem.detail : problem.title)
                + (problem.code != null ? " (" + problem.code + ")" : "") + note;
        if (status == 400) {
            return new InvalidRequestException(message, problem);
        }
        if (status == 401 || status == 403) {
            return new AuthenticationException(message, problem);
        }
        if (status == 404) {
            return new NotFoundException(message, problem);
        }
        if (status == 409) {
            return new ConflictException(message, problem);
        }
        if (status == 422) {
            return new PaymentDeclinedException(message, problem);
        }
        if (status >= 500) {
            return new ServerException(message, problem);
        }
        return new MerchantApiException(message, problem);
    }

    private static ApiProblem problem(int status, String contentType, String body, Duration retryAfter) {
        String fallbackTitle = "HTTP " + status;
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
            try {
                Json json = Json.parse(body, "problem");
                return new ApiProblem(status, text(json, "type").orElse(MerchantApiException.ABOUT_BLANK),
                        text(json, "title").orElse(fallbackTitle), text(json, "detail").orElse(null),
                        text(json, "code").orElse(null), retryAfter);
            } catch (MerchantException e) {
                // Declared JSON but is not: report it as the text it is.
            }
        }
        return new ApiProblem(status, MerchantApiException.ABOUT_BLANK, fallbackTitle, excerpt(body), null,
                retryAfter);
    }

    /** A problem's member, if it is a string: a problem with odd members is still reported, not refused. */
    private static Optional<String> text(Json json, String field) {
        try {
            return json.optionalText(field);
        } catch (MerchantException e) {
            return Optional.empty();
        }
    }

    private static String excerpt(String body) {
        String text = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        if (text.isEmpty()) {
            return null;
        }
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + "…";
    }
}
