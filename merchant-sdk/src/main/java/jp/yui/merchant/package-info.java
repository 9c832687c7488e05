/**
 * Yui's merchant SDK: the client a shop's POS or app embeds to take QR payments, refund them, read
 * statements and verify webhooks.
 *
 * <p>Start at {@link jp.yui.merchant.MerchantClient}. The codecs it uses stand on their own too: EMVCo
 * merchant-presented codes ({@link jp.yui.merchant.QrPayload}, drawn by {@link jp.yui.merchant.QrImages}),
 * customer tokens ({@link jp.yui.merchant.CustomerToken}, which the server also signs with) and webhook
 * signatures ({@link jp.yui.merchant.WebhookSignature}). Every exception thrown on purpose is a
 * {@link jp.yui.merchant.MerchantException}.
 *
 * <p>Targets Java 11, so value types are final classes rather than records. Dependencies: Jackson's tree model
 * (JSON), BouncyCastle's lightweight API (Ed25519) and ZXing (QR images); none of their types appear in this
 * package's API. On Android the codecs work (tokens, payloads, SVG drawing, webhook signatures, reading JSON
 * answers); {@code MerchantClient} itself needs {@code java.net.http}, and PNG drawing and picture reading need
 * {@code java.awt}/{@code javax.imageio}, which Android lacks.
 */
package jp.yui.merchant;
