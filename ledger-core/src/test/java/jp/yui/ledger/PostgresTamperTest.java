package jp.yui.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import jp.yui.testsupport.PostgresTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journal refuses edits, and an edit made anyway (by a superuser who disables the triggers) is found by
 * {@code verify()}, which names the batch and the first transfer where the chain breaks.
 */
@PostgresTest(template = LedgerSchema.class)
class PostgresTamperTest {

    private static final AtomicLong REGIONS = new AtomicLong(500);

    private final DataSource dataSource;
    private PostgresLedger ledger;
    private long region;
    private final List<Transfer> payments = new ArrayList<>();

    PostgresTamperTest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @BeforeEach
    void journalWithTenPayments() {
        ledger = PostgresLedger.open(dataSource, LedgerOptions.defaults());
        region = REGIONS.incrementAndGet();
        ledger.createRegion(region, "みやき町");
        ledger.createAsset(region, new AssetSpec("YEN", ExpiryPolicy.never(), UUID.randomUUID()));
        UUID bank = ledger.createAccount(region, AccountSpec.of(UUID.randomUUID(), "YEN", Side.DEBIT)).id();
        UUID shop = ledger.createAccount(region, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT)).id();
        for (int i = 1; i <= 10; i++) {
            payments.add(ledger.execute(region, TransferRequest.posted(UUID.randomUUID(), bank, shop, i * 100, "PAYMENT")).transfer());
        }
        assertThat(ledger.verify(region).ok()).isTrue();
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void journalTablesRefuseUpdateDeleteAndTruncate() {
        for (String sql : List.of(
                "update ledger_transfer set amount = 1 where region_id = " + region,
                "delete from ledger_transfer where region_id = " + region,
                "truncate ledger_transfer",
                "update ledger_entry set amount = 1 where region_id = " + region,
                "delete from ledger_batch where region_id = " + region,
                "truncate ledger_lot_consumption")) {
            assertThatThrownBy(() -> sql(sql)).as(sql).isInstanceOf(SQLException.class)
                    .hasMessageContaining("is append-only");
        }
        assertThat(ledger.verify(region).ok()).isTrue();
    }

    @Test
    void verifyFindsAChangedAmount() throws SQLException {
        Transfer fourth = payments.get(3);
        behindTheLedgersBack("update ledger_transfer set amount = amount + 1 where region_id = " + region
                + " and transfer_id = '" + fourth.id() + "'");

        VerificationReport report = ledger.verify(region);

        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).anyMatch(p -> p.startsWith("hash chain: batch " + fourth.batchSeq()
                + " does not match its hash (transfers from seq " + fourth.seq() + ", id " + fourth.id() + ")"));
    }

    @Test
    void verifyFindsADeletedTransfer() throws SQLException {
        Transfer sixth = payments.get(5);
        behindTheLedgersBack("delete from ledger_transfer where region_id = " + region + " and transfer_id = '"
                + sixth.id() + "'");

        assertThat(ledger.verify(region).problems()).contains("hash chain: batch " + sixth.batchSeq() + " should hold seq "
                + sixth.seq() + " to " + sixth.seq() + " but holds 0 of its 1 transfers: a transfer was removed or moved");
    }

    @Test
    void verifyFindsAReorderedPair() throws SQLException {
        Transfer a = payments.get(1);
        Transfer b = payments.get(2);
        // Swap the pair's places in the journal, keeping every row otherwise intact.
        String where = " where region_id = " + region + " and transfer_id = '";
        behindTheLedgersBack(
                "update ledger_transfer set seq = -1" + where + a.id() + "'",
                "update ledger_transfer set seq = " + a.seq() + ", batch_seq = " + a.batchSeq() + where + b.id() + "'",
                "update ledger_transfer set seq = " + b.seq() + ", batch_seq = " + b.batchSeq() + where + a.id() + "'");

        assertThat(ledger.verify(region).problems())
                .anyMatch(p -> p.startsWith("hash chain: batch " + a.batchSeq() + " does not match its hash"));
    }

    @Test
    void verifyFindsAnEntryThatNoLongerAddsUp() throws SQLException {
        behindTheLedgersBack("update ledger_account set credits_posted = credits_posted + 5 where region_id = " + region
                + " and account_id = '" + payments.get(0).creditAccountId() + "'");

        assertThat(ledger.verify(region).problems())
                .anyMatch(p -> p.startsWith("asset YEN: posted debits"))
                .anyMatch(p -> p.contains("entries sum to debits/credits"));
    }

    @Test
    void verifyFindsAnEntryMovedToAnotherAccount() throws SQLException {
        Transfer p = payments.get(9);
        UUID thief = ledger.createAccount(region, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT)).id();
        sql("alter table ledger_entry disable trigger user");
        try {
            sql("update ledger_entry set account_id = '" + thief + "' where region_id = " + region + " and seq = " + p.seq()
                    + " and side = 'C'");
        } finally {
            sql("alter table ledger_entry enable trigger user");
        }
        sql("update ledger_account set credits_posted = credits_posted - " + p.amount() + " where region_id = " + region
                + " and account_id = '" + p.creditAccountId() + "'");
        sql("update ledger_account set credits_posted = " + p.amount() + " where region_id = " + region
                + " and account_id = '" + thief + "'");

        assertThat(ledger.verify(region).problems())
                .contains(Invariants.strayEntry(thief, p.seq()), Invariants.missingEntry(p.id(), p.seq()));
    }

    @Test
    void lotsMayOnlyShrink() throws SQLException {
        UUID wallet = ledger.createAccount(region, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT,
                AccountFlag.NO_OVERDRAFT, AccountFlag.LOT_TRACKED)).id();
        ledger.execute(region, TransferRequest.posted(UUID.randomUUID(), payments.get(0).debitAccountId(), wallet, 100, "TOP_UP")
                .withLot("PAID"));
        String where = " where region_id = " + region + " and account_id = '" + wallet + "'";
        for (String sql : List.of("update ledger_lot set expires_at = 'infinity'" + where,
                "update ledger_lot set source = 'PREMIUM'" + where,
                "update ledger_lot set remaining = remaining + 1" + where,
                "delete from ledger_lot" + where,
                "truncate ledger_lot")) {
            assertThatThrownBy(() -> sql(sql)).as(sql).isInstanceOf(SQLException.class).hasMessageContaining("ledger_lot");
        }
        sql("update ledger_lot set remaining = remaining - 1" + where);
        assertThat(ledger.verify(region).problems()).isNotEmpty();
    }

    /** As a superuser would: switch the append-only triggers off, change history, switch them back on. */
    private void behindTheLedgersBack(String... statements) throws SQLException {
        sql("alter table ledger_transfer disable trigger user");
        try {
            for (String sql : statements) {
                sql(sql);
            }
        } finally {
            sql("alter table ledger_transfer enable trigger user");
        }
    }

    private void sql(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
