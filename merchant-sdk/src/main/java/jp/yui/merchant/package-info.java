/**
 * Yui's merchant SDK: the client a shop's POS or app embeds to take QR payments, refund them, read
 * statements and verify webhooks.
 *
 * <p>Targets Java 11, so value types are final classes rather than records.
 */
package jp.yui.merchant;
