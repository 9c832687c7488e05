package jp.yui.merchant;

/**
 * 5xx, still failing after the client's retries (or not retried because {@code Retry-After} asked for a longer wait
 * than the client's maximum back-off). Nothing is known to have happened: repeat the call later with the same
 * idempotency key to be safe. With {@link #typeName()} {@code server-busy} (503) the server was full and is known to
 * have done nothing: the same call with the same key may simply be made again in a moment.
 */
public final class ServerException extends MerchantApiException {

    ServerException(String message, ApiProblem problem) {
        super(message, problem);
    }
}
