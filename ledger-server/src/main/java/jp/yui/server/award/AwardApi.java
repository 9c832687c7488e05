package jp.yui.server.award;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request and response bodies of awards, bulk imports and volunteer claims. */
public final class AwardApi {
    private AwardApi() {
    }

    /** The external event id (a step counter's day record, an event QR scan) makes an award once only. */
    public static final String EVENT_ID = "[A-Za-z0-9][A-Za-z0-9_.:/-]{0,199}";

    @Serdeable
    public record CreateAward(@NotNull UUID residentId, @NotBlank @Size(max = 32) String activityCode,
            @NotBlank @Pattern(regexp = EVENT_ID) String eventId) {
    }

    @Serdeable
    public record Award(UUID awardId, UUID programmeId, UUID residentId, String activityCode, String eventId, long points,
            LocalDate businessDate, Instant awardedAt) {
    }

    /** A bulk import: progress while it runs, each row's outcome when done. */
    @Serdeable
    public record Import(UUID importId, UUID programmeId, String status, int totalRows, int doneRows,
            Map<String, Integer> outcomes, List<ImportRow> rows, @Nullable Integer nextAfterLine) {
    }

    /**
     * @param outcome AWARDED, ALREADY_AWARDED or REJECTED; null while not yet processed
     */
    @Serdeable
    public record ImportRow(int line, UUID residentId, String activityCode, String eventId, @Nullable String outcome,
            @Nullable String problemType, @Nullable String detail, @Nullable UUID awardId) {
    }

    @Serdeable
    public record CreateClaim(@NotBlank @Size(max = 32) String activityCode, @NotBlank @Pattern(regexp = EVENT_ID) String eventId,
            @Nullable @Size(max = 1000) String note) {
    }

    @Serdeable
    public record Claim(UUID claimId, UUID programmeId, UUID residentId, String activityCode, String eventId, String note,
            String status, @Nullable String decidedBy, @Nullable String decisionNote, @Nullable UUID awardId,
            Instant createdAt) {
    }

    @Serdeable
    public record Decision(@Nullable @Size(max = 1000) String note) {
    }
}
