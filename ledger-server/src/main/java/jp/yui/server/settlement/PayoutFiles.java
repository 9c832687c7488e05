package jp.yui.server.settlement;

import jakarta.inject.Singleton;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import jp.yui.server.db.Db;
import jp.yui.server.db.Problems;

/**
 * The bank payout file of a settlement run, in the Zengin 総合振込 format: one data record per payout of the run,
 * the town's account in the header, the transfer date the run's pay date. The payout ids are not in the file
 * (Zengin has no room for them); the bank statement is matched on account, amount and date.
 */
@Singleton
public class PayoutFiles {

    private final Db db;
    private final SettlementSettings settings;

    public PayoutFiles(Db db, SettlementSettings settings) {
        this.db = db;
        this.settings = settings;
    }

    /** A file and its name. */
    public record File(String name, byte[] bytes, int rows, long total) {
    }

    /**
     * @throws jp.yui.server.infra.ProblemException 404 for an unknown run, 422 {@code payout-file-empty} for a run
     *     without payouts, {@code payout-file-unencodable} for a name the format cannot carry (the detail says which);
     *     409 {@code settlement-pending} for a run whose payouts are not all posted yet
     */
    public File zengin(long regionId, UUID runId) {
        SettlementApi.Settings s = settings.require(regionId);
        Object[] run = db.read(c -> Db.one(c, "select pay_date, status from settlement_run where region_id = ? "
                + "and settlement_id = ?", rs -> new Object[] {rs.getObject(1, LocalDate.class), rs.getString(2)},
                regionId, runId)).orElseThrow(() -> Problems.notFound("settlement", runId));
        // A payout of a run still posting may yet be refused by the ledger and dropped (its takings carried to the
        // next run): a file with it in would pay the shop twice.
        if (!run[1].equals("DONE")) {
            throw Payouts.pending(runId);
        }
        LocalDate payDate = (LocalDate) run[0];
        List<ZenginTransferFile.Row> rows = db.read(c -> Db.list(c, "select bank_code, bank_name, branch_code, branch_name, "
                + "account_type, account_number, holder_name, net from payout where region_id = ? and settlement_id = ? "
                + "order by bank_code, branch_code, account_number, payout_id", rs -> new ZenginTransferFile.Row(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), type(rs.getString(5)), rs.getString(6),
                rs.getString(7), rs.getLong(8), null, null, null), regionId, runId));
        if (rows.isEmpty()) {
            throw Problems.unprocessable("payout-file-empty", "No payouts", "settlement " + runId + " pays no shop");
        }
        SettlementApi.BankAccount a = s.account();
        try {
            ZenginTransferFile.Written written = ZenginTransferFile.write(new ZenginTransferFile.Header(s.requesterCode(),
                    s.requesterName(), payDate, a.bankCode(), a.bankName(), a.branchCode(), a.branchName(),
                    type(a.accountType().name()), a.accountNumber()), rows);
            String name = "yui-payouts-" + regionId + "-" + payDate.toString().replace("-", "") + ".txt";
            return new File(name, written.bytes(), written.rowCount(), written.total());
        } catch (IllegalArgumentException e) {
            throw Problems.unprocessable("payout-file-unencodable", "Payout file cannot be written", e.getMessage());
        }
    }

    private static ZenginTransferFile.AccountType type(String name) {
        return ZenginTransferFile.AccountType.valueOf(name);
    }
}
