package jp.yui.server.payment;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the payments API (docs/payments-api.md). Amounts are whole yen. */
public final class PaymentApi {
    private PaymentApi() {
    }

    /** The most one payment moves: ¥1,000,000. */
    public static final long MAX_AMOUNT = 1_000_000L;
    /** A shop's own order reference: it goes into QR codes and payout reports. */
    public static final String REFERENCE = "[A-Za-z0-9._-]{1,25}";
    /** Printable ASCII, as EMVCo tags 59 and 60 require. */
    public static final String ASCII = "[\\x20-\\x7E]+";

    public enum Method { STATIC_MPM, DYNAMIC_MPM, CPM, CARD }

    public enum Status { SUCCEEDED, PARTIALLY_REFUNDED, REFUNDED }

    public enum IntentStatus { OPEN, PAID, CANCELLED, EXPIRED }

    /**
     * @param name     as printed in the QR code (tag 59): ASCII, up to 25 characters
     * @param nameKana the name banks know the shop's account by, in katakana, for payout files
     * @param nameJa   the name in Japanese (tag 64)
     * @param category the ISO 18245 merchant category code, 4 digits (5411 grocery)
     * @param city     ASCII, up to 15 characters (tag 60)
     */
    @Serdeable
    public record CreateMerchant(
            @NotBlank @Size(max = 25) @Pattern(regexp = ASCII) String name,
            @Nullable @Size(max = 60) String nameKana,
            @Nullable @Size(max = 40) String nameJa,
            @NotBlank @Pattern(regexp = "[0-9]{4}") String category,
            @NotBlank @Size(max = 15) @Pattern(regexp = ASCII) String city) {
    }

    @Serdeable
    public record Merchant(UUID merchantId, String name, @Nullable String nameKana, @Nullable String nameJa,
            String category, String city, String staticPayload) {
    }

    @Serdeable
    public record CreateKey(@NotBlank @Size(max = 200) String name) {
    }

    @Serdeable
    public record IssuedKey(String keyId, String apiKey) {
    }

    /**
     * @param payOrder       the assets residents pay with, in the order they are used (1 unit = ¥1 each)
     * @param cardDailyLimit the most a printed card pays per business day, in yen
     */
    @Serdeable
    public record Settings(
            @NotNull @Size(min = 1, max = 10) List<@NotBlank String> payOrder,
            @NotNull @Positive @Max(MAX_AMOUNT) Long cardDailyLimit) {
    }

    // --- intents (dynamic MPM) ---

    @Serdeable
    public record CreateIntent(
            @NotNull @Positive @Max(MAX_AMOUNT) Long amount,
            @Nullable @Pattern(regexp = REFERENCE) String reference,
            @Nullable @jakarta.validation.constraints.Min(30) @Max(900) Integer expiresInSeconds) {
    }

    @Serdeable
    public record Intent(UUID intentId, UUID merchantId, long amount, @Nullable String reference, IntentStatus status,
            String payload, Instant expiresAt, @Nullable UUID paymentId, Instant createdAt) {
    }

    @Serdeable
    public record Resolve(@NotBlank @Size(max = 512) String payload) {
    }

    /** What a scanned shop code will pay, as the server holds it: shown to the resident before they confirm. */
    @Serdeable
    public record Resolved(String kind, UUID merchantId, String merchantName, @Nullable String merchantNameJa,
            @Nullable Long amount, @Nullable UUID intentId, @Nullable Instant expiresAt) {
    }

    // --- paying ---

    /** A resident pays a scanned shop code; {@code amount} is what they typed (static) or confirms the intent's. */
    @Serdeable
    public record PayCode(
            @NotBlank @Size(max = 512) String payload,
            @Nullable @Positive @Max(MAX_AMOUNT) Long amount) {
    }

    /** A shop charges a customer's code (a CPM token, or a printed card with its PIN). */
    @Serdeable
    public record Charge(
            @NotBlank @Size(max = 256) String customerCode,
            @NotNull @Positive @Max(MAX_AMOUNT) Long amount,
            @Nullable @Pattern(regexp = "[0-9]{4,6}") String pin,
            @Nullable @Pattern(regexp = REFERENCE) String reference) {
    }

    @Serdeable
    public record Leg(String asset, long amount) {
    }

    /**
     * A payment. {@code residentId} and {@code merchantName} are shown to the payer and the town's staff, not to the
     * shop, which learns nothing about who paid.
     */
    @Serdeable
    public record Payment(UUID paymentId, UUID merchantId, @Nullable String merchantName, @Nullable UUID residentId,
            Method method, long amount, long refundedAmount, Status status, @Nullable String reference,
            @Nullable UUID intentId, List<Leg> legs, Instant createdAt) {
    }

    @Serdeable
    public record Page<T>(List<T> items, @Nullable String nextCursor) {
    }

    @Serdeable
    public record CpmToken(String token, Instant expiresAt) {
    }

    @Serdeable
    public record CpmKey(int keyId, String publicKey, @Nullable Instant notAfter) {
    }

    @Serdeable
    public record CpmKeys(List<CpmKey> keys) {
    }

    @Serdeable
    public record SetPin(@NotNull @Pattern(regexp = "[0-9]{4,6}") String pin) {
    }

    // --- refunds ---

    @Serdeable
    public record CreateRefund(
            @NotNull @Positive @Max(MAX_AMOUNT) Long amount,
            @Nullable @Size(max = 200) String reason) {
    }

    @Serdeable
    public record Refund(UUID refundId, UUID paymentId, long amount, @Nullable String reason, List<Leg> legs,
            Instant createdAt, Payment payment) {
    }
}
