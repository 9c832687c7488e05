package jp.yui.merchant;

/**
 * 401 or 403: the API key is missing, wrong or revoked ({@code unauthorized}), or may not do this
 * ({@code forbidden}). {@link #status()} tells which.
 */
public final class AuthenticationException extends MerchantApiException {

    AuthenticationException(String message, ApiProblem problem) {
        super(message, problem);
    }
}
