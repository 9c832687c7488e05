package jp.yui.server.program;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the programme API. */
public final class ProgrammeApi {
    private ProgrammeApi() {
    }

    public enum Kind { HEALTH, VOLUNTEER, OTHER }

    /**
     * A point programme: which point asset it gives, when it runs (business dates in the town's zone, inclusive),
     * caps per resident, how its points convert into the local currency, and, if its points should expire by a
     * policy of their own ({@code after-days:90:Asia/Tokyo}, {@code yearly-on:--03-31:Asia/Tokyo}), that policy;
     * without one they expire as their asset says.
     */
    @Serdeable
    public record CreateProgramme(
            @NotBlank @Size(max = 200) String name,
            @NotNull Kind kind,
            @NotBlank @Pattern(regexp = "[A-Z0-9][A-Z0-9_-]{0,31}") String assetCode,
            @NotNull LocalDate validFrom,
            @NotNull LocalDate validTo,
            @Nullable @Valid Caps caps,
            @Nullable @Valid Conversion conversion,
            @Nullable @Size(max = 64) String expiry) {
    }

    /** Most points one resident may receive per day, per calendar month, per fiscal year (April to March). */
    @Serdeable
    public record Caps(@Nullable @Positive Long perDay, @Nullable @Positive Long perMonth, @Nullable @Positive Long perYear) {
    }

    /** {@code points} points convert into {@code yen} yen; at most {@code yearlyCapYen} yen per resident per fiscal year. */
    @Serdeable
    public record Conversion(@NotNull @Positive @Max(10_000) Integer points, @NotNull @Positive @Max(10_000) Integer yen,
            @NotNull @Positive Long yearlyCapYen) {
    }

    @Serdeable
    public record Programme(UUID programmeId, String name, Kind kind, String assetCode, LocalDate validFrom,
            LocalDate validTo, @Nullable Caps caps, @Nullable Conversion conversion, @Nullable String expiry,
            UUID budgetAccountId, List<Activity> activities) {
    }

    /**
     * Something residents are rewarded for.
     *
     * @param oncePerEvent     a resident gets at most one award of this programme per event id, whatever the activity
     * @param requiresApproval residents claim it and a coordinator approves (volunteering)
     */
    @Serdeable
    public record CreateActivity(@NotBlank @Pattern(regexp = "[A-Z0-9][A-Z0-9_]{0,31}") String code,
            @NotBlank @Size(max = 200) String name, @NotNull @Positive @Max(1_000_000) Long reward,
            boolean oncePerEvent, boolean requiresApproval) {
    }

    @Serdeable
    public record Activity(String code, String name, long reward, boolean oncePerEvent, boolean requiresApproval) {
    }

    /** Points appropriated to the programme's budget. */
    @Serdeable
    public record Appropriate(@NotNull @Positive @Max(1_000_000_000_000L) Long points) {
    }

    /** The budget: appropriated so far, given out, left to give. */
    @Serdeable
    public record Budget(UUID programmeId, String assetCode, long appropriated, long awarded, long remaining) {
    }
}
