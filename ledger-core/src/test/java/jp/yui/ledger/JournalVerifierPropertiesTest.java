package jp.yui.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * For any journal, however batched, the offline check passes as the ledger hashed it, and any single edit of any
 * transfer (a field changed, a transfer removed, two neighbours swapped) fails it at that transfer: named by seq
 * when the digests are the original ones (an edited export), at least by its batch when they were forged too.
 */
class JournalVerifierPropertiesTest {

    private static final long REGION = 3;
    private static final UUID A = UUID.fromString("00000000-0000-7000-8000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-7000-8000-00000000000b");

    enum Edit { AMOUNT, REASON, METADATA, TIMESTAMP, LINKED, REMOVE, SWAP_WITH_NEXT }

    @Property(tries = 300)
    void anUneditedJournalVerifies(@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 5) Integer> sizes) {
        List<List<Transfer>> batches = journal(sizes);

        JournalVerifier.Result r = feed(batches, batches, true);

        assertThat(r.problem()).isEmpty();
        assertThat(r.transfers()).isEqualTo(sizes.stream().mapToInt(Integer::intValue).sum());
        assertThat(r.checkpoints()).isEqualTo(1);
    }

    @Property(tries = 1000)
    void anyEditOfATransferIsCaughtAtIt(@ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 5) Integer> sizes,
            @ForAll @IntRange(min = 0, max = 1_000) int pick, @ForAll Edit edit, @ForAll boolean forgedDigests) {
        List<List<Transfer>> batches = journal(sizes);
        List<Transfer> all = batches.stream().flatMap(List::stream).toList();
        Transfer target = all.get(pick % all.size());
        int b = (int) target.batchSeq() - 1;
        int i = batches.get(b).indexOf(target);
        List<List<Transfer>> edited = new ArrayList<>();
        batches.forEach(x -> edited.add(new ArrayList<>(x)));
        List<Transfer> batch = edited.get(b);
        // A batch's last transfer has no neighbour to swap with in it: change its amount instead.
        Edit made = edit == Edit.SWAP_WITH_NEXT && i + 1 == batch.size() ? Edit.AMOUNT : edit;
        switch (made) {
            case REMOVE -> batch.remove(i);
            case SWAP_WITH_NEXT -> java.util.Collections.swap(batch, i, i + 1);
            default -> batch.set(i, changed(target, made));
        }

        JournalVerifier.Result r = feed(batches, edited, forgedDigests);

        assertThat(r.problem()).as("%s of seq %s", made, target.seq()).isPresent();
        String problem = r.problem().get();
        if (forgedDigests && made != Edit.REMOVE && made != Edit.SWAP_WITH_NEXT) {
            assertThat(problem).containsPattern("batch " + target.batchSeq() + "\\b").contains("hash mismatch");
        } else {
            assertThat(problem).containsPattern("seq " + target.seq() + "\\b").contains("batch " + target.batchSeq());
        }
        assertThat(r.batches()).as("batches before it verified").isEqualTo(target.batchSeq() - 1);
    }

    /**
     * Feeds the edited journal, declaring each batch as the ledger stored it; digests are the original transfers'
     * (as written into the export) unless forged, when they are the edited transfers' own.
     */
    private static JournalVerifier.Result feed(List<List<Transfer>> original, List<List<Transfer>> listed, boolean forged) {
        List<String> hashes = JournalVerifierTest.chain(REGION, original);
        JournalVerifier v = JournalVerifier.after(REGION, 0, 0, JournalVerifier.GENESIS_HASH);
        List<Transfer> last = original.get(original.size() - 1);
        v.checkpoint("seal 1", original.size(), last.get(last.size() - 1).seq(), hashes.get(hashes.size() - 1));
        for (int b = 0; b < listed.size(); b++) {
            v.batch(b + 1, original.get(b).get(0).seq(), original.get(b).size(), hashes.get(b));
            for (Transfer t : listed.get(b)) {
                Transfer digestOf = forged ? t : original.get(b).stream().filter(o -> o.id().equals(t.id())).findFirst()
                        .orElse(t);
                v.transfer(t, JournalVerifier.digest(digestOf));
            }
        }
        return v.finish();
    }

    private static List<List<Transfer>> journal(List<Integer> sizes) {
        List<List<Transfer>> batches = new ArrayList<>();
        long seq = 0;
        for (int b = 0; b < sizes.size(); b++) {
            List<Transfer> batch = new ArrayList<>();
            for (int i = 0; i < sizes.get(b); i++) {
                seq++;
                batch.add(new Transfer(REGION, UUID.fromString(String.format("00000000-0000-7000-8000-%012d", seq)), seq,
                        b + 1, TransferKind.POSTED, A, B, "YEN", 10 * seq, null, null, null, "PAYMENT",
                        Map.of("n", Long.toString(seq)), null, null, false,
                        Instant.parse("2026-11-22T00:00:00Z").plusMillis(b)));
            }
            batches.add(batch);
        }
        return batches;
    }

    private static Transfer changed(Transfer t, Edit edit) {
        return new Transfer(t.regionId(), t.id(), t.seq(), t.batchSeq(), t.kind(), t.debitAccountId(), t.creditAccountId(),
                t.assetCode(), edit == Edit.AMOUNT ? t.amount() + 1 : t.amount(), t.pendingId(), t.reversalOf(), t.timeoutAt(),
                edit == Edit.REASON ? "REFUND" : t.reason(),
                edit == Edit.METADATA ? Map.of("n", t.metadata().get("n") + "0") : t.metadata(), t.lotSource(),
                t.lotExpiresAt(), edit == Edit.LINKED ? !t.linked() : t.linked(),
                edit == Edit.TIMESTAMP ? t.timestamp().plusNanos(1_000) : t.timestamp());
    }
}
