package jp.yui.server.web;

import jakarta.inject.Singleton;
import jp.yui.ledger.PostgresJournal;
import jp.yui.server.seal.SealApi;
import jp.yui.server.seal.Seals;

/**
 * Whether a town's journal is sealed up to its head: the latest seal against the journal's current head, for the
 * finance console.
 */
@Singleton
class SealStatus {

    private final Seals seals;
    private final PostgresJournal journal;

    SealStatus(Seals seals, PostgresJournal journal) {
        this.seals = seals;
        this.journal = journal;
    }

    /**
     * @param latest        the latest seal; null if the journal was never sealed
     * @param headBatchSeq  the journal's last batch now
     * @param headSeq       its last transfer now
     * @param unsealed      transfers committed after the latest seal
     * @param latestSealed  when the latest seal was made, formatted; empty if never
     */
    record View(SealApi.Seal latest, long headBatchSeq, long headSeq, long unsealed, String latestSealed) {
        public boolean upToDate() {
            return unsealed == 0;
        }
    }

    /** The town's seal status; the caller has checked the visitor may see it (finance, admin). */
    View of(Visit v) {
        SealApi.Seal latest = latest(v.regionId());
        PostgresJournal.Head head = journal.head(v.regionId());
        long sealedSeq = latest == null ? 0 : latest.lastSeq();
        return new View(latest, head.batchSeq(), head.lastSeq(), Math.max(0, head.lastSeq() - sealedSeq),
                latest == null ? "" : v.fmt().dateTime(latest.sealedAt()));
    }

    /** The region's latest seal (seals are listed oldest first, a page at a time). */
    SealApi.Seal latest(long regionId) {
        SealApi.Seal latest = null;
        long after = 0;
        while (true) {
            SealApi.SealPage page = seals.list(regionId, after, 1_000);
            if (!page.seals().isEmpty()) {
                latest = page.seals().get(page.seals().size() - 1);
            }
            if (page.nextCursor() == null) {
                return latest;
            }
            after = page.nextCursor();
        }
    }
}
