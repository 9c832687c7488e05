package jp.yui.server.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the webhook API. */
public final class WebhookApi {
    private WebhookApi() {
    }

    /** Where a shop wants its events: an https URL of a public host (see {@link WebhookUrls}). */
    @Serdeable
    public record SetEndpoint(@NotBlank @Size(max = WebhookUrls.MAX_LENGTH) String url) {
    }

    /**
     * A shop's endpoint as just set.
     *
     * @param secret signs every delivery ({@code jp.yui.merchant.WebhookSignature}); {@code whsec_} and 43
     *               base64url characters; shown only in this answer, a new one each time the endpoint is set
     */
    @Serdeable
    public record Endpoint(String url, String secret) {
        @Override
        public String toString() {
            return "Endpoint[url=" + url + "]";
        }
    }

    public enum Status {
        /** Not delivered yet; tried again at {@code nextAttemptAt}. */
        PENDING,
        /** The shop answered 2xx. */
        DELIVERED,
        /** Given up: three days without a 2xx answer, or the shop removed its endpoint. */
        FAILED
    }

    /**
     * One event and how its delivery went.
     *
     * @param attempts      how many times it was sent (or started to be)
     * @param lastStatus    the HTTP status of the last answer; absent if there was none (refused, timed out)
     * @param lastError     why the last attempt failed: the start of the shop's answer, or what went wrong
     * @param deliveredAt   when the shop answered 2xx
     * @param nextAttemptAt when it is sent again, while {@code PENDING}
     */
    @Serdeable
    public record Delivery(UUID id, String type, Status status, int attempts, @Nullable Integer lastStatus,
            @Nullable String lastError, Instant createdAt, @Nullable Instant deliveredAt,
            @Nullable Instant nextAttemptAt) {
    }

    /** A shop's most recent events, newest first. */
    @Serdeable
    public record Deliveries(List<Delivery> items) {
    }
}
