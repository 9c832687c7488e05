package jp.yui.server.settlement;

import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;
import jp.yui.server.db.Db;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.payment.Merchants;
import jp.yui.server.region.Regions;

/**
 * A region's settlement settings (cycle, fee, minimum payout, the town's own bank account for the payout file) and
 * each shop's bank account and fee. Names are checked when they are stored: one a bank file cannot carry is refused
 * then, not on payday.
 */
@Singleton
public class SettlementSettings {

    private final Db db;
    private final Regions regions;
    private final Merchants merchants;

    public SettlementSettings(Db db, Regions regions, Merchants merchants) {
        this.db = db;
        this.regions = regions;
        this.merchants = merchants;
    }

    public Optional<SettlementApi.Settings> find(long regionId) {
        return db.read(c -> Db.one(c, "select cycle, fee_bp, minimum_payout, requester_code, requester_name, bank_code, "
                + "bank_name, branch_code, branch_name, account_type, account_number from settlement_setting where region_id = ?",
                rs -> new SettlementApi.Settings(SettlementApi.Cycle.valueOf(rs.getString(1)), rs.getInt(2), rs.getLong(3),
                        rs.getString(4), rs.getString(5), new SettlementApi.BankAccount(rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getString(9), SettlementApi.AccountType.valueOf(rs.getString(10)),
                        rs.getString(11), null)), regionId));
    }

    /** @throws ProblemException 422 {@code settlement-not-configured} if the region has none yet */
    public SettlementApi.Settings require(long regionId) {
        return find(regionId).orElseThrow(() -> Problems.unprocessable("settlement-not-configured",
                "Settlement not configured", "region " + regionId + " has no settlement settings yet (PUT settlement-settings)"));
    }

    public SettlementApi.Settings put(long regionId, SettlementApi.Settings s) {
        regions.require(regionId);
        SettlementApi.BankAccount a = s.account();
        if (a.accountType() == SettlementApi.AccountType.SAVINGS) {
            throw invalid("the town's account must be ORDINARY, CURRENT or OTHER: SAVINGS");
        }
        bankText("requesterName", s.requesterName());
        bankText("bankName", a.bankName());
        bankText("branchName", a.branchName());
        db.tx(c -> Db.update(c, "insert into settlement_setting (region_id, cycle, fee_bp, minimum_payout, requester_code, "
                + "requester_name, bank_code, bank_name, branch_code, branch_name, account_type, account_number) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (region_id) do update set cycle = excluded.cycle, "
                + "fee_bp = excluded.fee_bp, minimum_payout = excluded.minimum_payout, requester_code = excluded.requester_code, "
                + "requester_name = excluded.requester_name, bank_code = excluded.bank_code, bank_name = excluded.bank_name, "
                + "branch_code = excluded.branch_code, branch_name = excluded.branch_name, account_type = excluded.account_type, "
                + "account_number = excluded.account_number, updated_at = now()", regionId, s.cycle().name(),
                s.feeRateBasisPoints(), s.minimumPayout(), s.requesterCode(), s.requesterName(), a.bankCode(),
                nullToEmpty(a.bankName()), a.branchCode(), nullToEmpty(a.branchName()), a.accountType().name(),
                a.accountNumber()));
        return require(regionId);
    }

    /** Sets the shop's bank account; the holder name defaults to the shop's kana name. */
    public SettlementApi.BankAccount putBankAccount(long regionId, UUID merchantId, SettlementApi.BankAccount a) {
        Merchants.Row shop = merchants.require(regionId, merchantId);
        String holder = a.holderName() != null && !a.holderName().isBlank() ? a.holderName() : shop.nameKana();
        if (holder == null) {
            throw invalid("holderName is required: the shop has no kana name to default to");
        }
        bankText("holderName", holder);
        bankText("bankName", a.bankName());
        bankText("branchName", a.branchName());
        db.tx(c -> Db.update(c, "insert into merchant_bank_account (region_id, merchant_id, bank_code, bank_name, branch_code, "
                + "branch_name, account_type, account_number, holder_name) values (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "on conflict (region_id, merchant_id) do update set bank_code = excluded.bank_code, "
                + "bank_name = excluded.bank_name, branch_code = excluded.branch_code, branch_name = excluded.branch_name, "
                + "account_type = excluded.account_type, account_number = excluded.account_number, "
                + "holder_name = excluded.holder_name, updated_at = now()", regionId, merchantId, a.bankCode(),
                nullToEmpty(a.bankName()), a.branchCode(), nullToEmpty(a.branchName()), a.accountType().name(),
                a.accountNumber(), holder));
        return new SettlementApi.BankAccount(a.bankCode(), nullToEmpty(a.bankName()), a.branchCode(),
                nullToEmpty(a.branchName()), a.accountType(), a.accountNumber(), holder);
    }

    public void putFee(long regionId, UUID merchantId, int basisPoints) {
        merchants.require(regionId, merchantId);
        db.tx(c -> Db.update(c, "update merchant set fee_bp = ? where region_id = ? and merchant_id = ?", basisPoints,
                regionId, merchantId));
    }

    /** A name must convert to bank text (half-width katakana, A–Z, digits and a few symbols). */
    private static void bankText(String field, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        try {
            BankKana.toBankName(value);
        } catch (IllegalArgumentException e) {
            throw invalid(field + ": " + e.getMessage());
        }
    }

    private static ProblemException invalid(String detail) {
        return Problems.badRequest("validation", "Invalid request", detail);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
