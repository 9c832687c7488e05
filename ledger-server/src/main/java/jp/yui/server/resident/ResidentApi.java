package jp.yui.server.resident;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/** Request and response bodies of the resident API. */
public final class ResidentApi {
    private ResidentApi() {
    }

    /**
     * @param displayName how staff and shops see the resident
     * @param subject     the resident's OIDC subject, if they will sign in; null for a card-only resident
     */
    @Serdeable
    public record Register(@NotBlank @Size(max = 100) String displayName, @Nullable @Size(min = 1, max = 200) String subject) {
    }

    @Serdeable
    public record RegisterSelf(@NotBlank @Size(max = 100) String displayName) {
    }

    @Serdeable
    public record Resident(UUID residentId, String displayName, @Nullable String subject, Instant createdAt) {
    }

    /** The code printed on a resident's card, for those without a smartphone. */
    @Serdeable
    public record Card(UUID residentId, String displayName, String cardCode) {
    }
}
