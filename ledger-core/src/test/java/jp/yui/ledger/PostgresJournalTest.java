package jp.yui.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
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
 * Reading the journal with its hash chain for seals and exports: the head, ranges of whole batches, pages of
 * batches, and what {@link JournalVerifier} makes of them, altered and not.
 */
@PostgresTest(template = LedgerSchema.class)
class PostgresJournalTest {

    private static final AtomicLong REGIONS = new AtomicLong(700);

    private final DataSource dataSource;
    private PostgresLedger ledger;
    private PostgresJournal journal;
    private long region;
    private UUID bank;
    private UUID shop;

    PostgresJournalTest(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @BeforeEach
    void region() {
        ledger = PostgresLedger.open(dataSource, LedgerOptions.defaults());
        journal = PostgresJournal.on(dataSource);
        region = REGIONS.incrementAndGet();
        ledger.createRegion(region, "みやき町");
        ledger.createAsset(region, new AssetSpec("YEN", ExpiryPolicy.never(), UUID.randomUUID()));
        bank = ledger.createAccount(region, AccountSpec.of(UUID.randomUUID(), "YEN", Side.DEBIT)).id();
        shop = ledger.createAccount(region, AccountSpec.of(UUID.randomUUID(), "YEN", Side.CREDIT)).id();
    }

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void emptyJournalHasTheGenesisHead() {
        PostgresJournal.Head head = journal.head(region);

        assertThat(head).isEqualTo(new PostgresJournal.Head(region, 0, 0, JournalVerifier.GENESIS_HASH, Instant.EPOCH));
        assertThat(journal.range(region, 1, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void headIsTheLastBatch() {
        List<Transfer> written = batches(2, 3);

        PostgresJournal.Head head = journal.head(region);

        Transfer last = written.get(written.size() - 1);
        assertThat(head.batchSeq()).isEqualTo(last.batchSeq());
        assertThat(head.lastSeq()).isEqualTo(5);
        assertThat(head.timestamp()).isEqualTo(last.timestamp());
        List<PostgresJournal.Batch> all = journal.batches(journal.range(region, 1, 5).orElseThrow(), 0, 100);
        assertThat(head.hash()).isEqualTo(all.get(all.size() - 1).hash());
    }

    @Test
    void rangeIsRoundedOutToWholeBatches() {
        batches(2, 3, 1, 4); // seq 1–2, 3–5, 6, 7–10
        List<PostgresJournal.Batch> all = journal.batches(journal.range(region, 1, 10).orElseThrow(), 0, 100);

        PostgresJournal.Range middle = journal.range(region, 4, 6).orElseThrow();

        assertThat(middle).isEqualTo(new PostgresJournal.Range(region, 2, 3, 3, 6, all.get(0).hash()));
        assertThat(journal.range(region, 1, 1).orElseThrow())
                .isEqualTo(new PostgresJournal.Range(region, 1, 1, 1, 2, JournalVerifier.GENESIS_HASH));
        assertThat(journal.range(region, 8, 1_000).orElseThrow())
                .isEqualTo(new PostgresJournal.Range(region, 4, 4, 7, 10, all.get(2).hash()));
        assertThat(journal.range(region, 11, 20)).isEmpty();
    }

    @Test
    void batchesArePagedWholeWithTheirTransfers() {
        List<Transfer> written = batches(2, 3, 1, 4);
        PostgresJournal.Range range = journal.range(region, 1, 10).orElseThrow();

        List<Long> pages = new ArrayList<>();
        List<Transfer> read = new ArrayList<>();
        long after = 0;
        for (List<PostgresJournal.Batch> page = journal.batches(range, after, 3); !page.isEmpty();
                page = journal.batches(range, after, 3)) {
            pages.add((long) page.size());
            for (PostgresJournal.Batch b : page) {
                assertThat(b.transfers()).hasSize(b.count());
                assertThat(b.transfers().get(0).seq()).isEqualTo(b.firstSeq());
                read.addAll(b.transfers());
                after = b.batchSeq();
            }
        }

        // Each page stops before the batch that would take it past 3 transfers; the batch of 4 comes alone.
        assertThat(pages).containsExactly(1L, 1L, 1L, 1L);
        assertThat(read).isEqualTo(written);
        assertThat(journal.batches(range, 0, 100)).hasSize(4);
        assertThat(journal.batches(range, 0, 6)).extracting(PostgresJournal.Batch::count).containsExactly(2, 3, 1);
    }

    @Test
    void aRangeFromTheMiddleVerifiesOfflineUpToTheHead() {
        batches(2, 3, 1, 4);
        PostgresJournal.Head head = journal.head(region);
        PostgresJournal.Range range = journal.range(region, 4, 10).orElseThrow();

        JournalVerifier.Result r = verify(range, head);

        assertThat(r.ok()).as("%s", r.problem()).isTrue();
        assertThat(r.transfers()).isEqualTo(8);
        assertThat(r.checkpoints()).isEqualTo(1);
        assertThat(r.lastCheckpointSeq()).isEqualTo(10);
        assertThat(ledger.verify(region).ok()).isTrue();
    }

    @Test
    void aRowChangedInTheDatabaseIsPinpointedToItsBatch() throws SQLException {
        List<Transfer> written = batches(2, 3, 1);
        PostgresJournal.Head head = journal.head(region);
        Transfer fourth = written.get(3);
        behindTheLedgersBack("update ledger_transfer set amount = amount + 1 where region_id = " + region
                + " and transfer_id = '" + fourth.id() + "'");

        JournalVerifier.Result r = verify(journal.range(region, 1, 6).orElseThrow(), head);

        assertThat(r.problem()).hasValueSatisfying(p -> assertThat(p).startsWith("batch " + fourth.batchSeq() + " (seq 3 to 5, "
                + "first id " + written.get(2).id() + "): hash mismatch — one of its transfers or the batch itself was "
                + "changed (each transfer matches its digest, so the change was made before the export was written"));
    }

    @Test
    void aRowDeletedInTheDatabaseIsNamed() throws SQLException {
        List<Transfer> written = batches(2, 3, 1);
        PostgresJournal.Head head = journal.head(region);
        Transfer fourth = written.get(3);
        behindTheLedgersBack("delete from ledger_transfer where region_id = " + region + " and transfer_id = '"
                + fourth.id() + "'");

        assertThat(verify(journal.range(region, 1, 6).orElseThrow(), head).problem())
                .contains("batch " + fourth.batchSeq() + " missing transfer seq 4 (count says 3, found 2)");
    }

    @Test
    void misuseIsRefusedWithTheValue() {
        assertThatThrownBy(() -> journal.range(region, 0, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fromSeq must be >= 1 and toSeq >= fromSeq: 0, 5");
        assertThatThrownBy(() -> journal.range(region, 5, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fromSeq must be >= 1 and toSeq >= fromSeq: 5, 4");
        assertThatThrownBy(() -> journal.head(999_999)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown region: 999999");
        batches(1);
        PostgresJournal.Range range = journal.range(region, 1, 1).orElseThrow();
        assertThatThrownBy(() -> journal.batches(range, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTransfers must be between 1 and 100000: 0");
    }

    /** The range as an export carries it (digests from the rows read), checked against the head as a seal. */
    private JournalVerifier.Result verify(PostgresJournal.Range range, PostgresJournal.Head head) {
        JournalVerifier v = JournalVerifier.after(region, range.firstBatchSeq() - 1, range.firstSeq() - 1,
                range.previousHash());
        v.checkpoint("seal 1", head.batchSeq(), head.lastSeq(), head.hash());
        long after = 0;
        for (List<PostgresJournal.Batch> page = journal.batches(range, after, 2); !page.isEmpty();
                page = journal.batches(range, after, 2)) {
            for (PostgresJournal.Batch b : page) {
                v.batch(b.batchSeq(), b.firstSeq(), b.count(), b.hash());
                b.transfers().forEach(t -> v.transfer(t, JournalVerifier.digest(t)));
                after = b.batchSeq();
            }
        }
        return v.finish();
    }

    /** One submission per size, each committed as one batch before the next is submitted. */
    private List<Transfer> batches(int... sizes) {
        List<Transfer> out = new ArrayList<>();
        for (int size : sizes) {
            List<TransferRequest> requests = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                requests.add(TransferRequest.posted(UUID.randomUUID(), bank, shop, 100 + out.size() + i, "PAYMENT"));
            }
            for (TransferOutcome o : ledger.execute(region, requests)) {
                assertThat(o.result()).isEqualTo(TransferResult.OK);
                out.add(o.transfer());
            }
            assertThat(out.get(out.size() - 1).batchSeq()).isEqualTo(out.get(out.size() - size).batchSeq());
        }
        return out;
    }

    private void behindTheLedgersBack(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("alter table ledger_transfer disable trigger user");
            try {
                st.execute(sql);
            } finally {
                st.execute("alter table ledger_transfer enable trigger user");
            }
        }
    }
}
