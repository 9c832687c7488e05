package jp.yui.server.settlement;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of settlement: settings, shops' bank accounts, runs and payouts. Amounts in yen. */
public final class SettlementApi {
    private SettlementApi() {
    }

    public enum Cycle {
        /** Sales of the 1st–15th paid at the month's end; of the 16th–end paid on the 15th of the next month. */
        HALF_MONTHLY,
        /** A month's sales paid on the 15th of the next month. */
        MONTHLY,
        /** Only when finance starts a run. */
        ON_DEMAND
    }

    public enum AccountType { ORDINARY, CURRENT, SAVINGS, OTHER }

    /**
     * @param feeRateBasisPoints the shops' fee in basis points (150 = 1.5%); a shop may have its own
     * @param minimumPayout      a shop owed less is carried to the next run
     * @param requesterCode      依頼人コード the bank gave the town, 10 digits
     * @param requesterName      依頼人名, in katakana or as the bank knows it
     */
    @Serdeable
    public record Settings(
            @NotNull Cycle cycle,
            @NotNull @Min(0) @Max(10_000) Integer feeRateBasisPoints,
            @NotNull @Min(1) @Max(1_000_000) Long minimumPayout,
            @NotBlank @Pattern(regexp = "[0-9]{10}") String requesterCode,
            @NotBlank @Size(max = 80) String requesterName,
            @NotNull @Valid BankAccount account) {
    }

    /**
     * A bank account. Names are what the bank knows (katakana); they are converted to the half-width characters
     * Zengin files use, and refused if they cannot be.
     */
    @Serdeable
    public record BankAccount(
            @NotBlank @Pattern(regexp = "[0-9]{4}") String bankCode,
            @Nullable @Size(max = 30) String bankName,
            @NotBlank @Pattern(regexp = "[0-9]{3}") String branchCode,
            @Nullable @Size(max = 30) String branchName,
            @NotNull AccountType accountType,
            @NotBlank @Pattern(regexp = "[0-9]{1,7}") String accountNumber,
            @Nullable @Size(max = 60) String holderName) {
    }

    @Serdeable
    public record Fee(@NotNull @Min(0) @Max(10_000) Integer feeRateBasisPoints) {
    }

    /** A run for a closed period (business dates in the town's zone, inclusive). */
    @Serdeable
    public record CreateRun(@NotNull LocalDate periodFrom, @NotNull LocalDate periodTo, @Nullable LocalDate payDate) {
    }

    @Serdeable
    public record Payout(UUID payoutId, UUID settlementId, UUID merchantId, @Nullable String merchantName,
            LocalDate periodFrom, LocalDate periodTo, long gross, long fee, long net, int paymentCount, int refundCount,
            String status, LocalDate scheduledFor, @Nullable Instant paidAt) {
    }

    /** A shop the run could not pay, and why (its takings stay for a later run). */
    @Serdeable
    public record Held(UUID merchantId, String merchantName, long owed, String reason) {
    }

    @Serdeable
    public record Run(UUID settlementId, LocalDate periodFrom, LocalDate periodTo, Instant cutoff, LocalDate payDate,
            String status, int payoutCount, long totalGross, long totalFee, long totalNet, List<Payout> payouts,
            List<Held> held, Instant createdAt, String createdBy) {
    }

    @Serdeable
    public record RunSummary(UUID settlementId, LocalDate periodFrom, LocalDate periodTo, LocalDate payDate, String status,
            int payoutCount, long totalNet, long paidNet) {
    }

    @Serdeable
    public record MarkPaid(@Nullable @Size(max = 200) String note) {
    }

    @Serdeable
    public record Page<T>(List<T> items, @Nullable String nextCursor) {
    }

    // --- reconciliation ---

    /**
     * Where things are in the bank's CSV: each column by its 0-based index ("3") or its header's name ("摘要").
     * Give {@code amount} (signed, deposits positive) or both {@code deposit} and {@code withdrawal}.
     */
    @Serdeable
    public record ColumnMapping(
            @NotBlank String date,
            @NotBlank @Size(max = 40) String dateFormat,
            @Nullable String amount,
            @Nullable String deposit,
            @Nullable String withdrawal,
            @NotBlank String description,
            @Nullable String reference,
            @Nullable String balance,
            @Nullable @Min(0) @Max(20) Integer headerRows) {
    }

    /** A statement file, base64-encoded (UTF-8 with or without BOM, or Shift_JIS: detected). */
    @Serdeable
    public record ImportStatement(
            @NotBlank @Size(max = 14_000_000) String fileBase64,
            @Nullable @Size(max = 200) String fileName,
            @NotNull @Valid ColumnMapping mapping) {
    }

    @Serdeable
    public record LineError(int lineNumber, String reason) {
    }

    @Serdeable
    public record StatementLine(UUID lineId, int lineNumber, LocalDate date, long amount, String description,
            @Nullable String reference, String status, @Nullable String matchedKind, @Nullable UUID matchedId,
            @Nullable String matchedBy, @Nullable String matchNote) {
    }

    /**
     * What an import did: lines read, lines new to the ledger of statements (an overlapping or repeated file adds
     * none twice), lines matched automatically, and the lines it could not read.
     */
    @Serdeable
    public record Imported(UUID importId, boolean alreadyImported, int lineCount, int newLines, int matched,
            List<LineError> errors) {
    }

    @Serdeable
    public record ExpectedTopUp(UUID topUpId, UUID residentId, long amount, Instant createdAt) {
    }

    /** Both sides of what is not yet reconciled. */
    @Serdeable
    public record Unmatched(List<StatementLine> lines, List<ExpectedTopUp> topUps, List<Payout> payouts) {
    }

    public enum MatchKind { TOPUP, PAYOUT, OTHER }

    /** A person's match: a top-up, a payout, or OTHER (a bank fee, interest) with the note that explains it. */
    @Serdeable
    public record ManualMatch(@NotNull MatchKind kind, @Nullable UUID id, @NotBlank @Size(max = 500) String note) {
    }
}
