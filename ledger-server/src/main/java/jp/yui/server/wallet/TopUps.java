package jp.yui.server.wallet;

import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.ledger.TransferResult;
import jp.yui.server.award.LedgerProblems;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Problems;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;
import jp.yui.server.resident.Residents;

/**
 * Charging the local currency. The yen paid (at a counter: cash; by bank transfer: bank) becomes a PAID lot in the
 * resident's wallet; an active campaign adds a PREMIUM lot from its budget that expires after the campaign's days.
 * Both legs are one linked ledger group, so the wallet ceiling or an empty campaign budget refuses the whole
 * top-up and nothing moves.
 */
@Singleton
public class TopUps {

    private final Db db;
    private final Ledger ledger;
    private final Regions regions;
    private final Residents residents;
    private final Campaigns campaigns;
    private final Clock clock;

    public TopUps(Db db, Ledger ledger, Regions regions, Residents residents, Campaigns campaigns, Clock clock) {
        this.db = db;
        this.ledger = ledger;
        this.regions = regions;
        this.residents = residents;
        this.campaigns = campaigns;
        this.clock = clock;
    }

    /** The premium on an amount: {@code percent}% rounded down to the whole yen. */
    static long premium(long amount, int percent) {
        return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(percent))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.DOWN).longValueExact();
    }

    public WalletApi.TopUpDone topUp(long regionId, UUID residentId, WalletApi.TopUp req, String key, String by) {
        Regions.RegionRow region = regions.require(regionId);
        residents.require(regionId, residentId);
        LocalDate today = region.today(clock);
        Campaigns.CampaignRow campaign = null;
        if (req.campaignId() != null) {
            campaign = campaigns.require(regionId, req.campaignId());
            if (!campaign.activeOn(today)) {
                throw Problems.unprocessable("campaign-not-active", "Campaign not active", "campaign " + campaign.name()
                        + " runs from " + campaign.validFrom() + " to " + campaign.validTo() + "; today is " + today);
            }
        }
        // The caller is part of the id: two cashiers who happen to pick the same key take two payments.
        UUID topUpId = Ids.of("topup", regionId, residentId, by, key);
        UUID wallet = residents.wallet(regionId, residentId, region.currencyCode());
        Purpose source = req.channel() == WalletApi.Channel.COUNTER ? Purpose.CASH : Purpose.BANK;
        Map<String, String> meta = Map.of("channel", req.channel().name(), "topup", topUpId.toString());
        List<TransferRequest> legs = new ArrayList<>();
        TransferRequest paid = TransferRequest.posted(topUpId, Regions.account(regionId, source, region.currencyCode()), wallet,
                req.amount(), "TOP_UP").withLot("PAID").withMetadata(meta);
        long premium = campaign == null ? 0 : premium(req.amount(), campaign.premiumPercent());
        Instant premiumExpires = null;
        if (premium > 0) {
            premiumExpires = today.plusDays(campaign.premiumValidDays() + 1L).atStartOfDay(region.zone()).toInstant();
            legs.add(paid.linked());
            legs.add(TransferRequest.posted(Ids.of(topUpId, "premium"), campaign.budgetAccountId(), wallet, premium, "PREMIUM")
                    .withLot("PREMIUM", premiumExpires).withMetadata(meta));
        } else {
            legs.add(paid);
        }
        List<TransferOutcome> out = ledger.execute(regionId, legs);
        TransferOutcome failed = out.stream().filter(o -> o.result() != TransferResult.LINKED_TRANSFER_FAILED
                && !o.committed()).findFirst().orElse(null);
        if (failed != null) {
            throw LedgerProblems.of(failed, "campaign-budget-exhausted", "the campaign's budget");
        }
        UUID campaignId = req.campaignId();
        // Stamped by the server's clock, as the ledger's transfers are: bank reconciliation matches on this date.
        db.tx(c -> Db.update(c, "insert into topup (region_id, topup_id, resident_id, channel, amount, premium, campaign_id, "
                + "created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing", regionId, topUpId,
                residentId, req.channel().name(), req.amount(), premium, campaignId, by, clock.instant()));
        long balance = ledger.account(regionId, wallet).orElseThrow().postedBalance();
        return new WalletApi.TopUpDone(topUpId, residentId, req.amount(), premium, premiumExpires, balance);
    }
}
