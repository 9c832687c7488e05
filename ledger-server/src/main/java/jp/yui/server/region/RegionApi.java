package jp.yui.server.region;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request and response bodies of the region API. */
public final class RegionApi {
    private RegionApi() {
    }

    public static final String ASSET_CODE = "[A-Z0-9][A-Z0-9_-]{0,31}";

    /**
     * A new town: its currency (1 unit = ¥1, paid for, never expires) and its point assets.
     *
     * @param regionId the region's number, chosen by the platform
     * @param zone     the town's time zone for business dates and expiry (default Asia/Tokyo)
     */
    @Serdeable
    public record CreateRegion(
            @NotNull @Positive @Max(1_000_000_000L) Long regionId,
            @NotBlank @Size(max = 200) String name,
            @Nullable @Size(max = 64) String zone,
            @NotNull @Valid Currency currency,
            @NotNull @Size(max = 10) List<@Valid PointAsset> points) {
    }

    /**
     * @param walletCeiling the most a resident's wallet may hold (さるぼぼ: ¥100,000), or null for no limit
     */
    @Serdeable
    public record Currency(
            @NotBlank @Pattern(regexp = ASSET_CODE) String code,
            @Nullable @Positive @Max(100_000_000L) Long walletCeiling) {
    }

    /**
     * @param expiry {@code never}, {@code after-days:365:Asia/Tokyo} or {@code yearly-on:--03-31:Asia/Tokyo}
     */
    @Serdeable
    public record PointAsset(
            @NotBlank @Pattern(regexp = ASSET_CODE) String code,
            @NotBlank @Size(max = 64) String expiry) {
    }

    @Serdeable
    public record Region(long regionId, String name, String zone, String currencyCode, @Nullable Long walletCeiling,
            List<Asset> assets) {
    }

    /** An asset and the ledger accounts of the chart that count it, by purpose. */
    @Serdeable
    public record Asset(String code, String kind, String expiry, Map<String, UUID> accounts) {
    }

}
