package jp.yui.server.expiry;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Bodies of the expiry API. */
public final class ExpiryApi {
    private ExpiryApi() {
    }

    @Serdeable
    public record Sweep(long regionId, long transfers, long amount) {
    }

    /** Residents to tell that value expires soon: one line per lot, earliest first. */
    @Serdeable
    public record Notices(Instant until, List<Notice> notices, @Nullable Long nextCursor) {
    }

    @Serdeable
    public record Notice(UUID residentId, String displayName, String assetCode, String source, long amount, Instant expiresAt) {
    }
}
