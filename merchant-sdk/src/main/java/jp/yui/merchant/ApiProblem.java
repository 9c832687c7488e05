package jp.yui.merchant;

import java.time.Duration;

/** The fields of an error response, as read from its problem document and headers. */
final class ApiProblem {

    final int status;
    final String type;
    final String title;
    final String detail;
    final String code;
    final Duration retryAfter;

    ApiProblem(int status, String type, String title, String detail, String code, Duration retryAfter) {
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.code = code;
        this.retryAfter = retryAfter;
    }
}
