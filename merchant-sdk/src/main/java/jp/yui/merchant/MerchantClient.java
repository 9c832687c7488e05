package jp.yui.merchant;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jp.yui.merchant.CustomerCodeException.Reason;

/**
 * The client a shop's till or app uses to take Yui payments: create a dynamic payment and show its QR code, charge a
 * customer's scanned code, refund, read payments and payouts, and verify webhooks. Speaks the HTTP contract of
 * docs/payments-api.md with one merchant API key, which names its region.
 *
 * <pre>{@code
 * MerchantClient client = MerchantClient.builder()
 *         .baseUri(URI.create("https://pay.miyaki.example"))
 *         .apiKey(System.getenv("YUI_API_KEY"))   // yk<regionId>_<20 hex>.<secret>
 *         .build();
 * }</pre>
 *
 * <p><b>Sync and async.</b> Every call has an {@code …Async} twin returning a {@link CompletableFuture}; the sync
 * method waits for it and throws what it completed with. Argument checks throw at once in both.
 *
 * <p><b>Idempotency and retries.</b> Every POST carries an {@code Idempotency-Key}: the caller's, given in
 * {@link RequestOptions}, else a random UUID made for the call. All attempts of one call send the same key, so the
 * server acts once however many attempts reach it. A call is retried on an {@link java.io.IOException} (connection
 * refused or reset, timeouts) and on 429 and 5xx answers (among them 503 {@code server-busy}, a full server's
 * refusal that did nothing), up to {@link Builder#maxAttempts(int)} attempts, waiting an exponential back-off with
 * full jitter; when the answer says {@code Retry-After}, at least that long (the back-off comes on top), unless it is
 * longer than the maximum back-off, which ends the retries. Other 4xx answers are never retried.
 *
 * <p><b>Errors.</b> An error answer throws a {@link MerchantApiException} subclass chosen by status (see there);
 * an unreachable server {@link MerchantTransportException}; a customer code refused offline
 * {@link CustomerCodeException}. All are {@link MerchantException}s. Misuse throws {@link IllegalArgumentException},
 * {@link NullPointerException} or, once closed, {@link IllegalStateException}.
 *
 * <p>Amounts are whole yen ({@code long}). Thread-safe: share one client per API key. {@link #close()} it when done.
 * Runs on any Java 11+ JVM; it needs {@code java.net.http}, which Android lacks.
 */
public final class MerchantClient implements AutoCloseable {

    /** How long after its expiry a customer token is still accepted offline, for tills whose clocks run early. */
    public static final Duration CUSTOMER_TOKEN_TOLERANCE = Duration.ofSeconds(30);

    private static final int MIN_EXPIRES_IN_SECONDS = 30;
    private static final int MAX_EXPIRES_IN_SECONDS = 900;

    private final HttpClient http;
    private final Transport transport;
    private final CpmKeyCache cpmKeys;
    private final Clock clock;
    private final String base;
    private final long regionId;
    private final String keyId;

    private MerchantClient(Builder builder, String base, long regionId, String keyId) {
        this.clock = builder.clock;
        this.base = base;
        this.regionId = regionId;
        this.keyId = keyId;
        this.http = HttpClient.newBuilder()
                .connectTimeout(builder.connectTimeout)
                // Never follow: a redirect would carry the API key, or a POST's body, somewhere not configured.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        RetryPolicy retry = new RetryPolicy(builder.maxAttempts, builder.initialBackoff, builder.maxBackoff,
                builder.jitter);
        this.transport = new Transport(http, base, builder.apiKey, builder.requestTimeout, retry, clock,
                builder.delays);
        this.cpmKeys = new CpmKeyCache(transport, regionId, clock);
    }

    /** @return a builder; {@link Builder#baseUri} and {@link Builder#apiKey} are required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the region this client acts in, read from its API key */
    public long regionId() {
        return regionId;
    }

    // ---- dynamic payments (MPM) -------------------------------------------------------------------------------

    /**
     * Creates a dynamic payment for the till to show, open for the server's default time (300 s).
     *
     * @see #createPayment(long, String, Duration, RequestOptions)
     */
    public DynamicPayment createPayment(long amount, String reference) {
        return await(createPaymentAsync(amount, reference));
    }

    /** @see #createPayment(long, String, Duration, RequestOptions) */
    public CompletableFuture<DynamicPayment> createPaymentAsync(long amount, String reference) {
        return createPaymentAsync(amount, reference, null, newKey());
    }

    /**
     * Creates a dynamic payment for the till to show, open for {@code expiresIn}.
     *
     * @see #createPayment(long, String, Duration, RequestOptions)
     */
    public DynamicPayment createPayment(long amount, String reference, Duration expiresIn) {
        return await(createPaymentAsync(amount, reference, expiresIn));
    }

    /** @see #createPayment(long, String, Duration, RequestOptions) */
    public CompletableFuture<DynamicPayment> createPaymentAsync(long amount, String reference, Duration expiresIn) {
        Objects.requireNonNull(expiresIn, "expiresIn");
        return createPaymentAsync(amount, reference, expiresIn, newKey());
    }

    /**
     * Creates a dynamic payment intent ({@code POST /regions/{r}/payment-intents}): a QR code of this amount that the
     * resident scans and confirms. Show {@link DynamicPayment#svg} or {@link DynamicPayment#png}; then poll
     * {@link #getPaymentIntent} or wait for the {@code payment.succeeded} webhook.
     *
     * @param amount    the amount in yen, {@code > 0} (the server allows at most 1,000,000)
     * @param reference the shop's reference (an order number): 1 to 25 characters of {@code [A-Za-z0-9._-]}, or null
     * @param expiresIn how long the code can be paid, 30 to 900 whole seconds; null for the server's default, 300 s
     * @param options   the idempotency key
     * @return the open intent with its EMVCo payload
     * @throws IllegalArgumentException  if an argument breaks the rules above
     * @throws NullPointerException      if {@code options} is null
     * @throws InvalidRequestException   if the server refuses a value (400)
     * @throws PaymentDeclinedException  if the key was used before for another request (422)
     * @throws AuthenticationException   if the API key is refused (401, 403)
     * @throws ServerException           if the server keeps failing (5xx)
     * @throws MerchantTransportException if the server cannot be reached
     */
    public DynamicPayment createPayment(long amount, String reference, Duration expiresIn, RequestOptions options) {
        return await(createPaymentAsync(amount, reference, expiresIn, options));
    }

    /** @see #createPayment(long, String, Duration, RequestOptions) */
    public CompletableFuture<DynamicPayment> createPaymentAsync(long amount, String reference, Duration expiresIn,
                                                                RequestOptions options) {
        transport.requireOpen();
        Arguments.requireAmount("amount", amount);
        Arguments.requireReference(reference);
        Objects.requireNonNull(options, "options");
        ObjectNode body = Json.object().put("amount", amount);
        if (reference != null) {
            body.put("reference", reference);
        }
        if (expiresIn != null) {
            body.put("expiresInSeconds", requireExpiresIn(expiresIn));
        }
        return transport.post(regionPath("/payment-intents"), body, options.idempotencyKey(), "PaymentIntent")
                .thenApply(DynamicPayment::from);
    }

    /**
     * Reads a dynamic payment intent as it stands now ({@code GET /regions/{r}/payment-intents/{id}}).
     *
     * @param intentId the intent's id
     * @return the intent; once paid, {@link DynamicPayment#status()} is {@code PAID} and
     *     {@link DynamicPayment#paymentId()} names the payment
     * @throws NullPointerException       if {@code intentId} is null
     * @throws NotFoundException          if there is no such intent of this shop (404)
     * @throws AuthenticationException    if the API key is refused (401, 403)
     * @throws ServerException            if the server keeps failing (5xx)
     * @throws MerchantTransportException if the server cannot be reached
     */
    public DynamicPayment getPaymentIntent(UUID intentId) {
        return await(getPaymentIntentAsync(intentId));
    }

    /** @see #getPaymentIntent(UUID) */
    public CompletableFuture<DynamicPayment> getPaymentIntentAsync(UUID intentId) {
        transport.requireOpen();
        Objects.requireNonNull(intentId, "intentId");
        return transport.get(regionPath("/payment-intents/" + intentId), "PaymentIntent")
                .thenApply(DynamicPayment::from);
    }

    /** @see #cancelPaymentIntent(UUID, RequestOptions) */
    public DynamicPayment cancelPaymentIntent(UUID intentId) {
        return await(cancelPaymentIntentAsync(intentId));
    }

    /** @see #cancelPaymentIntent(UUID, RequestOptions) */
    public CompletableFuture<DynamicPayment> cancelPaymentIntentAsync(UUID intentId) {
        return cancelPaymentIntentAsync(intentId, newKey());
    }

    /**
     * Cancels a dynamic payment intent the customer will not pay
     * ({@code POST /regions/{r}/payment-intents/{id}/cancel}).
     *
     * @param intentId the intent's id
     * @param options  the idempotency key
     * @return the intent: {@code CANCELLED} if it was open, else as it was (check for {@code PAID}: the resident may
     *     have paid a moment before)
     * @throws NullPointerException       if an argument is null
     * @throws NotFoundException          if there is no such intent of this shop (404)
     * @throws AuthenticationException    if the API key is refused (401, 403)
     * @throws ServerException            if the server keeps failing (5xx)
     * @throws MerchantTransportException if the server cannot be reached
     */
    public DynamicPayment cancelPaymentIntent(UUID intentId, RequestOptions options) {
        return await(cancelPaymentIntentAsync(intentId, options));
    }

    /** @see #cancelPaymentIntent(UUID, RequestOptions) */
    public CompletableFuture<DynamicPayment> cancelPaymentIntentAsync(UUID intentId, RequestOptions options) {
        transport.requireOpen();
        Objects.requireNonNull(intentId, "intentId");
        Objects.requireNonNull(options, "options");
        return transport.post(regionPath("/payment-intents/" + intentId + "/cancel"), null, options.idempotencyKey(),
                "PaymentIntent").thenApply(DynamicPayment::from);
    }

    // ---- customer codes (CPM and printed cards) ---------------------------------------------------------------

    /**
     * Charges an app's customer token. A printed card needs its PIN: use {@link #charge(ChargeRequest)}.
     *
     * @param scannedCustomerCode the scanned text
     * @param amount              the amount in yen, {@code > 0}
     * @param reference           the shop's reference: 1 to 25 characters of {@code [A-Za-z0-9._-]}, or null
     * @see #charge(ChargeRequest, RequestOptions)
     */
    public Payment charge(String scannedCustomerCode, long amount, String reference) {
        return await(chargeAsync(scannedCustomerCode, amount, reference));
    }

    /** @see #charge(String, long, String) */
    public CompletableFuture<Payment> chargeAsync(String scannedCustomerCode, long amount, String reference) {
        return chargeAsync(ChargeRequest.of(scannedCustomerCode, amount).withReference(reference), newKey());
    }

    /** @see #charge(ChargeRequest, RequestOptions) */
    public Payment charge(ChargeRequest request) {
        return await(chargeAsync(request));
    }

    /** @see #charge(ChargeRequest, RequestOptions) */
    public CompletableFuture<Payment> chargeAsync(ChargeRequest request) {
        return chargeAsync(request, newKey());
    }

    /**
     * Charges a customer code the till scanned ({@code POST /regions/{r}/payments}).
     *
     * <p>An app's token ({@value CustomerToken#PREFIX}…) is checked offline first: its format, that it is for this
     * client's region, its signature against the region's keys ({@code GET /regions/{r}/cpm-keys}, cached, fetched
     * again when a token names a key the cache lacks), and its expiry with {@link #CUSTOMER_TOKEN_TOLERANCE} against
     * the client's clock. A token that fails is refused without asking the server to charge it. That it has not paid
     * before only the server knows ({@link ConflictException} {@code customer-code-used}).
     *
     * <p>A printed card ({@value ChargeRequest#CARD_PREFIX}…) pays only with the PIN the resident typed
     * ({@link ChargeRequest#withPin}); the server checks it, and locks the card after five wrong PINs.
     *
     * @param request the code, amount, reference and PIN
     * @param options the idempotency key
     * @return the payment
     * @throws NullPointerException       if an argument is null
     * @throws IllegalArgumentException   if a card code comes without a PIN, or a token with one
     * @throws CustomerCodeException      if the code is neither kind, or a token fails the offline check (its
     *                                    {@link CustomerCodeException#reason()} says which check)
     * @throws PaymentDeclinedException   if the server declines: {@code insufficient-funds},
     *                                    {@code customer-code-expired}, {@code card-pin-wrong}, {@code card-locked},
     *                                    {@code card-limit-exceeded}, … (422)
     * @throws ConflictException          if the token already paid ({@code customer-code-used}, 409)
     * @throws InvalidRequestException    if the server refuses the code or a value (400)
     * @throws AuthenticationException    if the API key is refused (401, 403)
     * @throws ServerException            if the server keeps failing (5xx)
     * @throws MerchantTransportException if the server cannot be reached
     * @throws MerchantException          if the region's keys cannot be read
     */
    public Payment charge(ChargeRequest request, RequestOptions options) {
        return await(chargeAsync(request, options));
    }

    /** @see #charge(ChargeRequest, RequestOptions) */
    public CompletableFuture<Payment> chargeAsync(ChargeRequest request, RequestOptions options) {
        transport.requireOpen();
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(options, "options");
        String code = request.customerCode();
        CompletableFuture<Void> checked;
        if (ChargeRequest.isCardCode(code)) {
            if (request.pin().isEmpty()) {
                throw new IllegalArgumentException("a printed card (" + ChargeRequest.CARD_PREFIX
                        + " code) pays only with the resident's PIN: ChargeRequest.of(code, amount).withPin(pin)");
            }
            checked = CompletableFuture.completedFuture(null);
        } else if (code.startsWith(CustomerToken.PREFIX)) {
            if (request.pin().isPresent()) {
                throw new IllegalArgumentException("a PIN is only for printed cards (" + ChargeRequest.CARD_PREFIX
                        + " codes), not for an app's token");
            }
            checked = checkToken(code);
        } else {
            String start = code.substring(0, Math.min(ChargeRequest.CARD_PREFIX.length(), code.length()));
            return CompletableFuture.failedFuture(new CustomerCodeException(Reason.MALFORMED,
                    "customer code must start with '" + CustomerToken.PREFIX + "' (an app's token) or '"
                            + ChargeRequest.CARD_PREFIX + "' (a printed card), starts with " + Chars.quote(start)));
        }
        ObjectNode body = Json.object().put("customerCode", code).put("amount", request.amount());
        request.pin().ifPresent(pin -> body.put("pin", pin));
        request.reference().ifPresent(reference -> body.put("reference", reference));
        String idempotencyKey = options.idempotencyKey();
        return checked
                .thenCompose(ok -> transport.post(regionPath("/payments"), body, idempotencyKey, "Payment"))
                .thenApply(Payment::from);
    }

    private CompletableFuture<Void> checkToken(String code) {
        CustomerToken token;
        try {
            token = CustomerToken.parse(code);
            // Before any key is fetched: a foreign token needs none to be refused.
            token.checkRegion(regionId);
        } catch (CustomerCodeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return cpmKeys.keysFor(token.keyId())
                .thenAccept(keys -> token.verify(regionId, keys, clock, CUSTOMER_TOKEN_TOLERANCE));
    }

    // ---- payments and refunds ---------------------------------------------------------------------------------

    /**
     * Reads one of the shop's payments ({@code GET /regions/{r}/payments/{id}}).
     *
     * @param paymentId the payment's id
     * @return the payment as it stands now (refunds included)
     * @throws NullPointerException       if {@code paymentId} is null
     * @throws NotFoundException          if there is no such payment of this shop (404)
     * @throws AuthenticationException    if the API key is refused (401, 403)
     * @throws ServerException            if the server keeps failing (5xx)
     * @throws MerchantTransportException if the server cannot be reached
     */
    public Payment getPayment(UUID paymentId) {
        return await(getPaymentAsync(paymentId));
    }

    /** @see #getPayment(UUID) */
    public CompletableFuture<Payment> getPaymentAsync(UUID paymentId) {
        transport.requireOpen();
        Objects.requireNonNull(paymentId, "paymentId");
        return transport.get(regionPath("/payments/" + paymentId), "Payment").thenApply(Payment::from);
    }

    /** @see #refund(UUID, long, String, RequestOptions) */
    public Refund refund(UUID paymentId, long amount, String reason) {
        return await(refundAsync(paymentId, amount, reason));
    }

    /** @see #refund(UUID, long, String, RequestOptions) */
    public CompletableFuture<Refund> refundAsync(UUID paymentId, long amount, String reason) {
        return refundAsync(paymentId, amount, reason, newKey());
    }

    /**
     * Gives back part or all of a payment ({@code POST /regions/{r}/payments/{id}/refunds}). The value returns to the
     * payer's wallets, the payment's legs reversed last leg first, keeping its original expiry.
     *
     * @param paymentId the payment to refund
     * @param amount    the amount in yen, {@code > 0}; with earlier refunds at most the payment's amount
     * @param reason    why, for the shop's and the town's records; null for none, else not blank
     * @param options   the idempotency key: pass one derived from the return slip to make a repeated refund safe
     * @return the refund, with the payment as it stands after it
     * @throws NullPointerException       if {@code paymentId} or {@code options} is null
     * @throws IllegalArgumentException   if {@code amount <= 0} or {@code reason} is blank
     * @throws PaymentDeclinedException   if the refunds would exceed the payment ({@code refund-exceeds-payment}, 422)
     * @throws NotFoundException          if there is no such payment of this shop (404)
     * @throws AuthenticationException    if the API key is refused (401, 403)
     * @throws ServerException            if the server keeps failing (5xx)
     * @throws MerchantTransportException if the server cannot be reached
     */
    public Refund refund(UUID paymentId, long amount, String reason, RequestOptions options) {
        return await(refundAsync(paymentId, amount, reason, options));
    }

    /** @see #refund(UUID, long, String, RequestOptions) */
    public CompletableFuture<Refund> refundAsync(UUID paymentId, long amount, String reason, RequestOptions options) {
        transport.requireOpen();
        Objects.requireNonNull(paymentId, "paymentId");
        Arguments.requireAmount("amount", amount);
        if (reason != null && reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank: pass null for none");
        }
        Objects.requireNonNull(options, "options");
        ObjectNode body = Json.object().put("amount", amount);
        if (reason != null) {
            body.put("reason", reason);
        }
        return transport.post(regionPath("/payments/" + paymentId + "/refunds"), body, options.idempotencyKey(),
                "Refund").thenApply(Refund::from);
    }

    /**
     * Lists the shop's payments, newest first ({@code GET /regions/{r}/payments}).
     *
     * @param from   the lower bound of creation time, or null
     * @param to     the upper bound of creation time, or null
     * @param cursor a previous page's {@link Page#nextCursor()}, or null for the first page
     * @param limit  the most payments in the page, {@code > 0}
     * @see #listPayments(PaymentQuery)
     */
    public Page<Payment> listPayments(Instant from, Instant to, String cursor, int limit) {
        return await(listPaymentsAsync(from, to, cursor, limit));
    }

    /** @see #listPayments(Instant, Instant, String, int) */
    public CompletableFuture<Page<Payment>> listPaymentsAsync(Instant from, Instant to, String cursor, int limit) {
        return listPaymentsAsync(PaymentQuery.all().withFrom(from).withTo(to).withCursor(cursor).withLimit(limit));
    }

    /**
     * Lists the shop's payments, newest first ({@code GET /regions/{r}/payments}). For the next page, ask again with
     * {@code query.withCursor(page.nextCursor().get())} while {@link Page#hasMore()}.
     *
     * @param query the bounds, cursor and page size
     * @return one page
     * @throws NullPointerException       if {@code query} is null
     * @throws IllegalArgumentException   (from the {@code listPayments(Instant, …)} form) if {@code from} is not
     *                                    before {@code to}, the cursor is empty or {@code limit < 1}
     * @throws InvalidRequestException    if the server refuses a parameter (400)
     * @throws AuthenticationException    if the API key is refused (401, 403)
     * @throws ServerException            if the server keeps failing (5xx)
     * @throws MerchantTransportException if the server cannot be reached
     */
    public Page<Payment> listPayments(PaymentQuery query) {
        return await(listPaymentsAsync(query));
    }

    /** @see #listPayments(PaymentQuery) */
    public CompletableFuture<Page<Payment>> listPaymentsAsync(PaymentQuery query) {
        transport.requireOpen();
        Objects.requireNonNull(query, "query");
        Query parameters = new Query();
        query.from().ifPresent(from -> parameters.add("from", from.toString()));
        query.to().ifPresent(to -> parameters.add("to", to.toString()));
        query.cursor().ifPresent(cursor -> parameters.add("cursor", cursor));
        parameters.add("limit", Integer.toString(query.limit()));
        return transport.get(regionPath("/payments") + parameters, "PaymentPage")
                .thenApply(json -> Page.from(json, Payment::from));
    }

    // ---- payouts ----------------------------------------------------------------------------------------------

    /**
     * Lists the shop's payouts, newest first ({@code GET /regions/{r}/payouts}: the key's own shop).
     *
     * @param cursor a previous page's {@link Page#nextCursor()}, or null for the first page
     * @param limit  the most payouts in the page, {@code > 0}
     * @return one page
     * @throws IllegalArgumentException   if the cursor is empty or {@code limit < 1}
     * @throws AuthenticationException    if the API key is refused (401, 403)
     * @throws ServerException            if the server keeps failing (5xx)
     * @throws MerchantTransportException if the server cannot be reached
     */
    public Page<Payout> listPayouts(String cursor, int limit) {
        return await(listPayoutsAsync(cursor, limit));
    }

    /** @see #listPayouts(String, int) */
    public CompletableFuture<Page<Payout>> listPayoutsAsync(String cursor, int limit) {
        transport.requireOpen();
        Arguments.requireCursor(cursor);
        Arguments.requireLimit(limit);
        Query parameters = new Query();
        if (cursor != null) {
            parameters.add("cursor", cursor);
        }
        parameters.add("limit", Integer.toString(limit));
        return transport.get(regionPath("/payouts") + parameters, "PayoutPage")
                .thenApply(json -> Page.from(json, Payout::from));
    }

    // ---- webhooks and QR images -------------------------------------------------------------------------------

    /**
     * Checks a webhook delivery's signature against the client's clock ({@link WebhookSignature#DEFAULT_TOLERANCE})
     * and reads the event. Call it with the body exactly as received, before any JSON parsing, and answer 400 when it
     * throws.
     *
     * @param signatureHeader the {@value WebhookSignature#HEADER} header, or null if the request had none
     * @param body            the request body as received
     * @param secret          the shop's webhook secret
     * @return the event
     * @throws NullPointerException       if {@code body} or {@code secret} is null
     * @throws IllegalArgumentException   if {@code secret} is empty
     * @throws WebhookSignatureException  if the header is missing or malformed, no signature matches, or it was signed
     *                                    too long ago
     * @throws MerchantException          if the signed body is not an event this SDK can read
     */
    public WebhookEvent verifyWebhook(String signatureHeader, String body, String secret) {
        WebhookSignature.verify(signatureHeader, body, secret, WebhookSignature.DEFAULT_TOLERANCE, clock);
        return WebhookEvent.parse(body);
    }

    /**
     * Reads a QR code from a camera frame, e.g. a customer code to {@link #charge}. Uses {@code java.awt}, which
     * Android lacks: there, use the platform's scanner and pass its text.
     *
     * @param image the picture
     * @return the code's text, or empty if no code can be read in it
     * @throws NullPointerException if {@code image} is null
     * @see QrImages#decode(BufferedImage)
     */
    public static Optional<String> decodeQr(BufferedImage image) {
        return QrImages.decode(image);
    }

    /**
     * Reads a QR code from a picture file's bytes (PNG, JPEG, GIF, BMP).
     *
     * @param imageBytes the picture
     * @return the code's text, or empty if no code can be read in it
     * @throws NullPointerException     if {@code imageBytes} is null
     * @throws IllegalArgumentException if the bytes are not a picture
     * @see QrImages#decode(byte[])
     */
    public static Optional<String> decodeQr(byte[] imageBytes) {
        return QrImages.decode(imageBytes);
    }

    // ---- lifecycle --------------------------------------------------------------------------------------------

    /**
     * Refuses further calls ({@link IllegalStateException}) and ends pending retries; a request already sent runs to
     * its end. On Java 21 and later it also closes the underlying {@link HttpClient}, waiting for requests under
     * way; before that, its threads end when it is garbage-collected. Idempotent.
     */
    @Override
    public void close() {
        transport.close();
        // HttpClient is AutoCloseable from Java 21; this SDK compiles for 11, so it asks at run time.
        if (http instanceof AutoCloseable) {
            try {
                ((AutoCloseable) http).close();
            } catch (Exception e) {
                throw new MerchantException("closing the HTTP client failed", e);
            }
        }
    }

    /** @return the server, region and API key id; never the key's secret */
    @Override
    public String toString() {
        return "MerchantClient[" + base + ", region " + regionId + ", key " + keyId + "]";
    }

    private String regionPath(String rest) {
        return "/regions/" + regionId + rest;
    }

    private static RequestOptions newKey() {
        return RequestOptions.withIdempotencyKey(UUID.randomUUID().toString());
    }

    private static int requireExpiresIn(Duration expiresIn) {
        long seconds = expiresIn.getSeconds();
        if (expiresIn.getNano() != 0 || seconds < MIN_EXPIRES_IN_SECONDS || seconds > MAX_EXPIRES_IN_SECONDS) {
            throw new IllegalArgumentException("expiresIn must be " + MIN_EXPIRES_IN_SECONDS + " to "
                    + MAX_EXPIRES_IN_SECONDS + " whole seconds: " + expiresIn);
        }
        return (int) seconds;
    }

    /**
     * Waits for a call. Unlike {@code join()} this answers interrupts: the wait ends, the thread stays interrupted,
     * and the call is abandoned (a request already sent may still take effect; repeat it with the same key).
     */
    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new MerchantTransportException("interrupted while waiting for the server", 0, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new MerchantException("the call failed: " + cause, cause);
        }
    }

    /** A query string, each value percent-encoded. */
    private static final class Query {
        private final StringBuilder text = new StringBuilder();

        void add(String name, String value) {
            text.append(text.length() == 0 ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(value, UTF_8));
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /**
     * Configures a {@link MerchantClient}. Setters only record; {@link #build()} checks everything, so one call
     * reports the first problem. Not thread-safe; reusable.
     */
    public static final class Builder {

        /** {@code yk<regionId>_<20 hex digits>}: the key's public id, which names its region. */
        private static final Pattern KEY_ID = Pattern.compile("yk([1-9][0-9]{0,18})_[0-9a-f]{20}");
        private static final Duration MAX_BACKOFF_LIMIT = Duration.ofMinutes(10);
        private static final int MAX_ATTEMPTS_LIMIT = 10;

        private URI baseUri;
        private String apiKey;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(15);
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();
        private Delays delays = Delays.REAL;
        private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {
        }

        /**
         * @param baseUri the Yui server, e.g. {@code https://pay.miyaki.example} or {@code https://town.example/api};
         *                {@code https}, or {@code http} to a loopback address only (so that the API key never
         *                crosses a network in clear text); no query or fragment. Required.
         */
        public Builder baseUri(URI baseUri) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            return this;
        }

        /**
         * @param apiKey the shop's merchant key, {@code yk<regionId>_<20 hex digits>.<secret>}; the region is read
         *               from it. Required.
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** @param connectTimeout how long to wait for a connection, {@code > 0}; default 5 s */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** @param requestTimeout how long one attempt waits for its answer, {@code > 0}; default 15 s */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /** @param maxAttempts attempts per call, first included: 1 (no retries) to 10; default 3 */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * @param initial the cap of the first back-off, {@code > 0}; default 200 ms. The n-th wait is random between
         *                zero and {@code min(max, initial × 2^(n-1))}
         * @param max     the longest back-off, at least {@code initial}, at most 10 minutes; default 5 s. Also the
         *                longest {@code Retry-After} the client honours: a longer one ends the retries
         */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = Objects.requireNonNull(initial, "initial");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /** @param clock what the client checks token expiry and webhook signatures against; default system UTC */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Tests: where the client waits between attempts. */
        Builder delays(Delays delays) {
            this.delays = Objects.requireNonNull(delays, "delays");
            return this;
        }

        /** Tests: the random fraction of each back-off cap to wait, in {@code [0, 1)}. */
        Builder jitter(DoubleSupplier jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter");
            return this;
        }

        /**
         * @return a client; it holds its own HTTP client, so build one and share it
         * @throws IllegalStateException    if {@link #baseUri} or {@link #apiKey} was not set
         * @throws IllegalArgumentException if a value breaks the rule of its setter; the message says which and never
         *                                  repeats the API key's secret
         */
        public MerchantClient build() {
            if (baseUri == null) {
                throw new IllegalStateException("baseUri is required: MerchantClient.builder().baseUri(…)");
            }
            if (apiKey == null) {
                throw new IllegalStateException("apiKey is required: MerchantClient.builder().apiKey(…)");
            }
            String base = checkBaseUri(baseUri);
            int dot = apiKey.indexOf('.');
            String keyId = dot < 0 ? apiKey : apiKey.substring(0, dot);
            long regionId = regionOf(keyId, dot);
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("requestTimeout", requestTimeout);
            if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
                throw new IllegalArgumentException(
                        "maxAttempts must be 1 to " + MAX_ATTEMPTS_LIMIT + ": " + maxAttempts);
            }
            requirePositive("backoff initial", initialBackoff);
            if (maxBackoff.compareTo(initialBackoff) < 0 || maxBackoff.compareTo(MAX_BACKOFF_LIMIT) > 0) {
                throw new IllegalArgumentException("backoff max must be from initial (" + initialBackoff
                        + ") to " + MAX_BACKOFF_LIMIT + ": " + maxBackoff);
            }
            return new MerchantClient(this, base, regionId, keyId);
        }

        /** @return the region named by the key id; the secret is checked but never quoted */
        private long regionOf(String keyId, int dot) {
            String shape = "apiKey must look like yk<regionId>_<20 hex digits>.<secret>";
            if (dot < 0) {
                throw new IllegalArgumentException(shape + ", but has no '.'");
            }
            Matcher matcher = KEY_ID.matcher(keyId);
            if (!matcher.matches()) {
                String shown = keyId.length() <= 40 ? keyId : keyId.substring(0, 40) + "…";
                throw new IllegalArgumentException(shape + ", but its id before the '.' is " + Chars.quote(shown));
            }
            String secret = apiKey.substring(dot + 1);
            if (secret.isEmpty() || !secret.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
                throw new IllegalArgumentException(shape + ", but its secret after the '.' is "
                        + (secret.isEmpty() ? "empty" : "not all visible ASCII"));
            }
            try {
                return Long.parseLong(matcher.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        shape + ", but its region id " + matcher.group(1) + " does not fit a long");
            }
        }

        /** @return the base URI as text, without a trailing slash */
        private static String checkBaseUri(URI uri) {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                throw new IllegalArgumentException("baseUri must be an absolute http(s) URI with a host: " + uri);
            }
            if (scheme.equals("http") && !isLoopback(uri.getHost())) {
                throw new IllegalArgumentException(
                        "baseUri must be https (plain http only to a loopback address, for development): " + uri);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("baseUri must have no user info, query or fragment: " + uri);
            }
            String text = uri.toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        }

        private static boolean isLoopback(String host) {
            if (host.equalsIgnoreCase("localhost")) {
                return true;
            }
            String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            // Only IP literals are resolved here (no DNS lookup): a name other than localhost counts as remote.
            if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
                return false;
            }
            try {
                return InetAddress.getByName(literal).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        private static void requirePositive(String what, Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be > 0: " + value);
            }
        }
    }
}
