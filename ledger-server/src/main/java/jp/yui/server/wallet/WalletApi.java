package jp.yui.server.wallet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request and response bodies of wallets, conversions, top-ups and campaigns. */
public final class WalletApi {
    private WalletApi() {
    }

    /** What a resident holds: per asset, the balance, its split by source and what expires when. */
    @Serdeable
    public record Wallet(UUID residentId, List<Balance> balances) {
    }

    /**
     * @param posted    the balance
     * @param available what can be spent now (posted less pending holds)
     * @param bySource  the balance split by where it came from (PAID, PREMIUM, POINTS)
     * @param expiring  value that will expire, earliest first
     */
    @Serdeable
    public record Balance(String assetCode, long posted, long available, Map<String, Long> bySource, List<Expiring> expiring) {
    }

    @Serdeable
    public record Expiring(long amount, String source, Instant expiresAt) {
    }

    @Serdeable
    public record Statement(UUID residentId, String assetCode, List<Line> lines, @Nullable Long nextCursor) {
    }

    @Serdeable
    public record Line(long seq, UUID transferId, String kind, String reason, long change, long balanceAfter, Instant at) {
    }

    @Serdeable
    public record Convert(@NotNull UUID programmeId, @NotNull @Positive @Max(100_000_000L) Long points) {
    }

    @Serdeable
    public record Conversion(UUID conversionId, UUID programmeId, UUID residentId, long points, long yen,
            long convertedThisYear, long yearlyCap) {
    }

    public enum Channel { COUNTER, BANK_TRANSFER }

    /** A charge of the local currency: at a counter (cashier) or by bank transfer (finance or an integration). */
    @Serdeable
    public record TopUp(@NotNull @Positive @Max(1_000_000L) Long amount, @NotNull Channel channel, @Nullable UUID campaignId) {
    }

    @Serdeable
    public record TopUpDone(UUID topUpId, UUID residentId, long amount, long premium, @Nullable Instant premiumExpiresAt,
            long walletBalance) {
    }

    /**
     * A premium campaign: top-ups on its dates get {@code premiumPercent}% more (rounded down to the yen), funded by
     * the campaign's budget, valid for {@code premiumValidDays} days.
     */
    @Serdeable
    public record CreateCampaign(@NotBlank @Size(max = 200) String name, @NotNull @Positive @Max(100) Integer premiumPercent,
            @NotNull LocalDate validFrom, @NotNull LocalDate validTo, @NotNull @Positive @Max(3660) Integer premiumValidDays) {
    }

    @Serdeable
    public record Campaign(UUID campaignId, String name, int premiumPercent, LocalDate validFrom, LocalDate validTo,
            int premiumValidDays, UUID budgetAccountId, long budgetAvailable) {
    }

    /** Yen the town puts into a fund (a campaign's budget, or conversion funding). */
    @Serdeable
    public record Fund(@NotNull @Positive @Max(10_000_000_000L) Long yen) {
    }

    @Serdeable
    public record FundBalance(UUID accountId, long available) {
    }
}
