package jp.yui.server.wallet;

import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import jp.yui.ledger.AccountFlag;
import jp.yui.ledger.AccountSpec;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.Side;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.server.award.LedgerProblems;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Problems;
import jp.yui.server.program.Programmes;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;

/** Premium campaigns and the town's funds: campaign budgets and conversion funding, paid in from the town's bank. */
@Singleton
public class Campaigns {

    /** A campaign as top-ups read it. */
    public record CampaignRow(UUID campaignId, String name, int premiumPercent, LocalDate validFrom, LocalDate validTo,
            int premiumValidDays, UUID budgetAccountId) {
        public boolean activeOn(LocalDate day) {
            return !day.isBefore(validFrom) && !day.isAfter(validTo);
        }
    }

    private final Db db;
    private final Ledger ledger;
    private final Regions regions;

    public Campaigns(Db db, Ledger ledger, Regions regions) {
        this.db = db;
        this.ledger = ledger;
        this.regions = regions;
    }

    public WalletApi.Campaign create(long regionId, WalletApi.CreateCampaign req) {
        Regions.RegionRow region = regions.require(regionId);
        Programmes.requireReasonableDates(req.validFrom(), req.validTo());
        if (req.validFrom().isAfter(req.validTo())) {
            throw Problems.badRequest("validation", "Invalid request", "validFrom " + req.validFrom() + " is after validTo "
                    + req.validTo());
        }
        UUID id = UUID.randomUUID();
        UUID budget = Ids.of("campaign-budget", regionId, id);
        ledger.createAccount(regionId, AccountSpec.of(budget, region.currencyCode(), Side.CREDIT, AccountFlag.NO_OVERDRAFT)
                .withLabel("campaign " + req.name()));
        db.tx(c -> Db.update(c, "insert into campaign (region_id, campaign_id, name, premium_percent, valid_from, valid_to, "
                + "premium_valid_days, budget_account_id) values (?, ?, ?, ?, ?, ?, ?, ?)", regionId, id, req.name(),
                req.premiumPercent(), req.validFrom(), req.validTo(), req.premiumValidDays(), budget));
        return view(regionId, id);
    }

    public CampaignRow require(long regionId, UUID campaignId) {
        return db.read(c -> Db.one(c, "select campaign_id, name, premium_percent, valid_from, valid_to, premium_valid_days, "
                + "budget_account_id from campaign where region_id = ? and campaign_id = ?", Campaigns::map, regionId, campaignId))
                .orElseThrow(() -> Problems.notFound("campaign", campaignId));
    }

    public WalletApi.Campaign view(long regionId, UUID campaignId) {
        CampaignRow c = require(regionId, campaignId);
        long available = ledger.account(regionId, c.budgetAccountId()).orElseThrow().availableBalance();
        return new WalletApi.Campaign(c.campaignId(), c.name(), c.premiumPercent(), c.validFrom(), c.validTo(),
                c.premiumValidDays(), c.budgetAccountId(), available);
    }

    public List<WalletApi.Campaign> list(long regionId) {
        regions.require(regionId);
        return db.read(c -> Db.list(c, "select campaign_id from campaign where region_id = ? order by created_at, campaign_id",
                rs -> rs.getObject(1, UUID.class), regionId)).stream().map(id -> view(regionId, id)).toList();
    }

    /** Pays yen from the town's bank into the campaign's budget (the transfer id comes from the idempotency key). */
    public WalletApi.FundBalance fundCampaign(long regionId, UUID campaignId, long yen, String by, String key) {
        CampaignRow c = require(regionId, campaignId);
        return fund(regionId, c.budgetAccountId(), yen, Ids.of("campaign-funding", regionId, campaignId, by, key), "CAMPAIGN_FUNDING");
    }

    /** Pays yen from the town's bank into the conversion funding. */
    public WalletApi.FundBalance fundConversion(long regionId, long yen, String by, String key) {
        Regions.RegionRow region = regions.require(regionId);
        return fund(regionId, Regions.account(regionId, Purpose.CONVERSION_FUNDING, region.currencyCode()), yen,
                Ids.of("conversion-funding", regionId, by, key), "CONVERSION_FUNDING");
    }

    public WalletApi.FundBalance conversionFunding(long regionId) {
        Regions.RegionRow region = regions.require(regionId);
        UUID account = Regions.account(regionId, Purpose.CONVERSION_FUNDING, region.currencyCode());
        return new WalletApi.FundBalance(account, ledger.account(regionId, account).orElseThrow().availableBalance());
    }

    private WalletApi.FundBalance fund(long regionId, UUID account, long yen, UUID transferId, String reason) {
        Regions.RegionRow region = regions.require(regionId);
        TransferOutcome o = ledger.execute(regionId, TransferRequest.posted(transferId,
                Regions.account(regionId, Purpose.BANK, region.currencyCode()), account, yen, reason));
        if (!o.committed()) {
            throw LedgerProblems.of(o, "insufficient-funds", "the town's bank account");
        }
        return new WalletApi.FundBalance(account, ledger.account(regionId, account).orElseThrow().availableBalance());
    }

    private static CampaignRow map(java.sql.ResultSet rs) throws SQLException {
        return new CampaignRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getObject(4, LocalDate.class),
                rs.getObject(5, LocalDate.class), rs.getInt(6), rs.getObject(7, UUID.class));
    }
}
