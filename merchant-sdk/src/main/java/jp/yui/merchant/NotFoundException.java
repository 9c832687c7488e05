package jp.yui.merchant;

/**
 * 404: no such payment, intent or route, or one that belongs to another shop (the server does not say which, so
 * that ids of other shops' payments leak nothing).
 */
public final class NotFoundException extends MerchantApiException {

    NotFoundException(String message, ApiProblem problem) {
        super(message, problem);
    }
}
