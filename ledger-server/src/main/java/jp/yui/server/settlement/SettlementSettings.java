package jp.yui.server.settlement;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jp.yui.server.db.Db;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.Problem;
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

    private static final String SHOPS = "select m.merchant_id, m.name, m.name_ja, m.name_kana, m.fee_bp, b.bank_code, "
            + "b.bank_name, b.branch_code, b.branch_name, b.account_type, b.account_number, b.holder_name from merchant m "
            + "left join merchant_bank_account b on b.region_id = m.region_id and b.merchant_id = m.merchant_id ";

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

    /**
     * A shop with what settlement knows of it.
     *
     * @param account            its bank account; null until finance sets one (a run holds the shop back until then)
     * @param feeRateBasisPoints its own fee in basis points; null when the region's fee applies
     */
    public record Shop(UUID merchantId, String name, @Nullable String nameJa, @Nullable String nameKana,
            @Nullable SettlementApi.BankAccount account, @Nullable Integer feeRateBasisPoints) {
    }

    /** The region's shops, by name, each with its bank account and own fee. */
    public List<Shop> shops(long regionId) {
        return db.read(c -> Db.list(c, SHOPS + "where m.region_id = ? order by m.name, m.merchant_id",
                SettlementSettings::shop, regionId));
    }

    /** @throws ProblemException 404 if the region has no such shop */
    public Shop shop(long regionId, UUID merchantId) {
        return db.read(c -> Db.one(c, SHOPS + "where m.region_id = ? and m.merchant_id = ?", SettlementSettings::shop,
                regionId, merchantId)).orElseThrow(() -> Problems.notFound("merchant", merchantId));
    }

    private static Shop shop(ResultSet rs) throws SQLException {
        String bankCode = rs.getString(6);
        SettlementApi.BankAccount account = bankCode == null ? null : new SettlementApi.BankAccount(bankCode,
                rs.getString(7), rs.getString(8), rs.getString(9), SettlementApi.AccountType.valueOf(rs.getString(10)),
                rs.getString(11), rs.getString(12));
        return new Shop(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), account,
                rs.getObject(5, Integer.class));
    }

    /**
     * What {@link #put} refuses in settings that pass the request's constraints: a savings account for the town, or
     * a name a bank file cannot carry. Each error names its field as the API's 400 detail does ({@code bankName}).
     *
     * @return empty when {@link #put} would take them
     */
    public static List<Problem.FieldError> check(SettlementApi.Settings s) {
        List<Problem.FieldError> errors = new ArrayList<>();
        SettlementApi.BankAccount a = s.account();
        if (a.accountType() == SettlementApi.AccountType.SAVINGS) {
            errors.add(new Problem.FieldError("accountType",
                    "the town's account must be ORDINARY, CURRENT or OTHER: SAVINGS"));
        }
        bankText(errors, "requesterName", s.requesterName());
        bankText(errors, "bankName", a.bankName());
        bankText(errors, "branchName", a.branchName());
        return errors;
    }

    /**
     * What {@link #putBankAccount} refuses in a shop's account that passes the request's constraints: no holder name
     * (and no kana name of the shop's to default to), or a name a bank file cannot carry.
     *
     * @return empty when {@link #putBankAccount} would take it
     * @throws ProblemException 404 if the region has no such shop
     */
    public List<Problem.FieldError> check(long regionId, UUID merchantId, SettlementApi.BankAccount a) {
        return check(a, holder(merchants.require(regionId, merchantId), a));
    }

    private static List<Problem.FieldError> check(SettlementApi.BankAccount a, @Nullable String holder) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (holder == null) {
            errors.add(new Problem.FieldError("holderName",
                    "holderName is required: the shop has no kana name to default to"));
        }
        bankText(errors, "holderName", holder);
        bankText(errors, "bankName", a.bankName());
        bankText(errors, "branchName", a.branchName());
        return errors;
    }

    /**
     * Stores the region's settings.
     *
     * @throws ProblemException 404 if there is no such region; 400 {@code validation} for what {@link #check} finds
     */
    public SettlementApi.Settings put(long regionId, SettlementApi.Settings s) {
        regions.require(regionId);
        SettlementApi.BankAccount a = s.account();
        refuse(check(s));
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

    /**
     * Sets the shop's bank account; the holder name defaults to the shop's kana name.
     *
     * @throws ProblemException 404 if the region has no such shop; 400 {@code validation} for what {@link #check}
     *     finds
     */
    public SettlementApi.BankAccount putBankAccount(long regionId, UUID merchantId, SettlementApi.BankAccount a) {
        Merchants.Row shop = merchants.require(regionId, merchantId);
        String holder = holder(shop, a);
        refuse(check(a, holder));
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

    /**
     * Sets the shop's own fee, which settlement uses instead of the region's.
     *
     * @param basisPoints the fee in basis points (150 is 1.5%)
     * @throws ProblemException 404 if the region has no such shop
     */
    public void putFee(long regionId, UUID merchantId, int basisPoints) {
        merchants.require(regionId, merchantId);
        db.tx(c -> Db.update(c, "update merchant set fee_bp = ? where region_id = ? and merchant_id = ?", basisPoints,
                regionId, merchantId));
    }

    /**
     * Clears the shop's own fee, so settlement charges it the region's fee again from the next run on. Clearing a fee
     * the shop does not have changes nothing.
     *
     * @throws ProblemException 404 if the region has no such shop
     */
    public void clearFee(long regionId, UUID merchantId) {
        merchants.require(regionId, merchantId);
        db.tx(c -> Db.update(c, "update merchant set fee_bp = null where region_id = ? and merchant_id = ?", regionId,
                merchantId));
    }

    private static @Nullable String holder(Merchants.Row shop, SettlementApi.BankAccount a) {
        return a.holderName() != null && !a.holderName().isBlank() ? a.holderName() : shop.nameKana();
    }

    /** A name must convert to bank text (half-width katakana, A–Z, digits and a few symbols). */
    private static void bankText(List<Problem.FieldError> errors, String field, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        try {
            BankKana.toBankName(value);
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError(field, e.getMessage()));
        }
    }

    /** The API's answer to the first error: 400 {@code validation}, "field: what is wrong". */
    private static void refuse(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            Problem.FieldError first = errors.get(0);
            throw invalid(first.message().startsWith(first.field()) ? first.message()
                    : first.field() + ": " + first.message());
        }
    }

    private static ProblemException invalid(String detail) {
        return Problems.badRequest("validation", "Invalid request", detail);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
