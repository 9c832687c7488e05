package jp.yui.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The offline chain check: a journal re-hashed as the ledger hashed it verifies, and each way of altering it is
 * named at the first transfer or batch it touches.
 */
class JournalVerifierTest {

    private static final long REGION = 7;
    private static final UUID BANK = UUID.fromString("00000000-0000-7000-8000-000000000001");
    private static final UUID SHOP = UUID.fromString("00000000-0000-7000-8000-000000000002");

    /** Batches 1 to 3 holding seq 1–2, 3, and 4–6, hashed by the ledger's own chain. */
    private final List<List<Transfer>> batches = List.of(
            List.of(transfer(1, 1, 100), transfer(2, 1, 200)),
            List.of(transfer(3, 2, 300)),
            List.of(transfer(4, 3, 400), transfer(5, 3, 500), transfer(6, 3, 600)));
    private final List<String> hashes = chain(REGION, batches);

    // ------------------------------------------------------------------------------------------------ verifies

    @Test
    void wholeJournalWithItsDigestsVerifiesUpToTheCheckpoint() {
        JournalVerifier v = fromGenesis();
        v.checkpoint("seal 1", 3, 6, hashes.get(2));

        JournalVerifier.Result r = feed(v, batches, true);

        assertThat(r.problem()).isEmpty();
        assertThat(r).isEqualTo(new JournalVerifier.Result(6, 3, 3, 6, 1, 6, java.util.Optional.empty()));
    }

    @Test
    void stretchNotStartingAtGenesisVerifiesFromThePreviousHash() {
        JournalVerifier v = JournalVerifier.after(REGION, 1, 2, hashes.get(0));
        v.checkpoint("seal 1", 1, 2, hashes.get(0)); // at the start: checked at once
        v.checkpoint("seal 2", 3, 6, hashes.get(2));

        JournalVerifier.Result r = feed(v, batches.subList(1, 3), false);

        assertThat(r.ok()).as("%s", r.problem()).isTrue();
        assertThat(r.checkpoints()).isEqualTo(2);
        assertThat(r.transfers()).isEqualTo(4);
        assertThat(r.batches()).isEqualTo(2);
    }

    @Test
    void digestIsTheSha256OfTheCanonicalTransfer() {
        Transfer t = batches.get(0).get(0);
        assertThat(JournalVerifier.digest(t))
                .isEqualTo(java.util.HexFormat.of().formatHex(HashChain.sha256().digest(HashChain.canonical(t))))
                .hasSize(64);
        assertThat(JournalVerifier.GENESIS_HASH).isEqualTo("0".repeat(64));
    }

    // ------------------------------------------------------------------------------------------ names alterations

    @Test
    void changedAmountIsNamedByItsDigest() {
        List<List<Transfer>> altered = replace(batches, 2, 1, withAmount(batches.get(2).get(1), 501));
        // The digest in the file is the original one; the line itself was edited.
        JournalVerifier v = fromGenesis();
        for (int b = 0; b < 3; b++) {
            v.batch(b + 1, batches.get(b).get(0).seq(), batches.get(b).size(), hashes.get(b));
            for (int i = 0; i < batches.get(b).size(); i++) {
                v.transfer(altered.get(b).get(i), JournalVerifier.digest(batches.get(b).get(i)));
            }
        }

        assertThat(v.finish().problem()).contains("transfer seq 5 (id " + id(5) + ") in batch 3: hash mismatch — changed or "
                + "re-ordered");
    }

    @Test
    void changedAmountWithoutDigestsNamesItsBatch() {
        JournalVerifier.Result r = feed(fromGenesis(), replace(batches, 2, 1, withAmount(batches.get(2).get(1), 501)), false);

        assertThat(r.problem()).contains("batch 3 (seq 4 to 6, first id " + id(4) + "): hash mismatch — one of its "
                + "transfers or the batch itself was changed");
        assertThat(r.batches()).isEqualTo(2);
    }

    @Test
    void changeMadeBeforeTheDigestsWereIsNamedAsSuch() {
        // As when a database row was altered and then exported: the digest matches the altered row.
        JournalVerifier.Result r = feed(fromGenesis(), replace(batches, 1, 0, withAmount(batches.get(1).get(0), 301)), true);

        assertThat(r.problem()).contains("transfer seq 3 (id " + id(3) + ") in batch 2: hash mismatch — the transfer or "
                + "its batch was changed (each transfer matches its digest, so the change was made before the export was "
                + "written, or the digests were re-computed too)");
    }

    @Test
    void removedTransferIsNamedWithTheCount() {
        List<List<Transfer>> removed = List.of(batches.get(0), batches.get(1),
                List.of(batches.get(2).get(0), batches.get(2).get(2)));

        assertThat(feed(fromGenesis(), removed, true).problem())
                .contains("batch 3 missing transfer seq 5 (count says 3, found 2)");
    }

    @Test
    void removedLastTransferOfABatchIsNamed() {
        List<List<Transfer>> removed = List.of(List.of(batches.get(0).get(0)), batches.get(1), batches.get(2));

        assertThat(feed(fromGenesis(), removed, true).problem())
                .contains("batch 1 missing transfer seq 2 (count says 2, found 1)");
    }

    @Test
    void swappedTransfersAreNamedBoth() {
        List<Transfer> b3 = batches.get(2);
        List<List<Transfer>> swapped = List.of(batches.get(0), batches.get(1), List.of(b3.get(1), b3.get(0), b3.get(2)));

        assertThat(feed(fromGenesis(), swapped, true).problem()).contains("batch 3: transfer seq 5 (id " + id(5)
                + ") is listed where seq 4 (id " + id(4) + ") belongs — re-ordered");
    }

    @Test
    void transferMovedIntoAnotherBatchIsNamed() {
        // Seq 3's line moved up into batch 1, past its count of two.
        List<List<Transfer>> moved = List.of(List.of(batches.get(0).get(0), batches.get(0).get(1), batches.get(1).get(0)),
                List.of(), batches.get(2));

        assertThat(feed(fromGenesis(), moved, true).problem()).contains("batch 1 (seq 1 to 2) lists transfer seq 3 (id "
                + id(3) + "), which is not one of its seqs — moved, added or re-numbered");
    }

    @Test
    void repeatedTransferIsNamed() {
        List<List<Transfer>> repeated = List.of(List.of(batches.get(0).get(0), batches.get(0).get(0)), batches.get(1),
                batches.get(2));

        assertThat(feed(fromGenesis(), repeated, true).problem())
                .contains("batch 1 lists transfer seq 1 twice (ids " + id(1) + " and " + id(1) + ")");
    }

    @Test
    void transferClaimingAnotherBatchIsNamed() {
        Transfer t = batches.get(1).get(0);
        Transfer claimsFour = new Transfer(t.regionId(), t.id(), t.seq(), 4, t.kind(), t.debitAccountId(),
                t.creditAccountId(), t.assetCode(), t.amount(), null, null, null, t.reason(), t.metadata(), null, null,
                false, t.timestamp());

        assertThat(feed(fromGenesis(), replace(batches, 1, 0, claimsFour), false).problem())
                .contains("transfer seq 3 (id " + id(3) + ") says batch 4 but is listed in batch 2");
    }

    @Test
    void missingBatchIsNamed() {
        JournalVerifier v = fromGenesis();
        v.batch(1, 1, 2, hashes.get(0));
        batches.get(0).forEach(t -> v.transfer(t, null));
        v.batch(3, 4, 3, hashes.get(2));

        assertThat(v.finish().problem()).contains("batch 3 follows batch 1: batch 2 missing");
    }

    @Test
    void batchStartingPastTheJournalNamesTheMissingSeq() {
        JournalVerifier v = fromGenesis();
        v.batch(1, 2, 1, hashes.get(0));

        assertThat(v.problem()).contains("batch 1 starts at seq 2, but the journal before it ends at seq 0: seq 1 missing");
    }

    @Test
    void wrongPreviousHashBreaksTheFirstBatch() {
        JournalVerifier v = JournalVerifier.after(REGION, 1, 2, hashes.get(1)); // batch 2's hash, not batch 1's

        assertThat(feed(v, batches.subList(1, 3), false).problem())
                .contains("transfer seq 3 (id " + id(3) + ") in batch 2: hash mismatch — the transfer or its batch was changed");
    }

    @Test
    void theRegionIsPartOfEveryHash() {
        JournalVerifier other = JournalVerifier.after(REGION + 1, 0, 0, JournalVerifier.GENESIS_HASH);

        assertThat(feed(other, batches, false).problem()).hasValueSatisfying(p -> assertThat(p).startsWith("batch 1 "));
    }

    @Test
    void transferBeforeAnyBatchIsNamed() {
        JournalVerifier v = fromGenesis();

        assertThat(v.transfer(batches.get(0).get(0), null)).isFalse();
        assertThat(v.problem()).contains("transfer seq 1 (id " + id(1) + ") comes before any batch");
    }

    // --------------------------------------------------------------------------------------------- checkpoints

    @Test
    void checkpointThatTheChainDoesNotReachIsAProblem() {
        JournalVerifier v = fromGenesis();
        v.checkpoint("seal 2", 4, 7, hashes.get(2));

        assertThat(feed(v, batches, true).problem()).contains("seal 2 seals batch 4, but the journal here ends at batch 3");
    }

    @Test
    void checkpointWithAnotherHeadIsAProblem() {
        JournalVerifier v = fromGenesis();
        v.checkpoint("seal 1", 2, 3, hashes.get(2));

        assertThat(feed(v, batches, true).problem()).contains("seal 1: the sealed head (batch 2, seq 3, hash " + hashes.get(2)
                + ") does not match the journal (batch 2 ends at seq 3 with hash " + hashes.get(1) + ")");
    }

    @Test
    void checkpointBeforeTheStretchCannotBeChecked() {
        JournalVerifier v = JournalVerifier.after(REGION, 2, 3, hashes.get(1));
        v.checkpoint("seal 1", 1, 2, hashes.get(0));

        assertThat(v.problem()).contains("seal 1 seals batch 1, before the journal here starts (after batch 2)");
    }

    @Test
    void problemsStopTheCheckAtTheFirst() {
        JournalVerifier v = fromGenesis();
        v.checkpoint("seal 1", 3, 6, "f".repeat(64));
        List<List<Transfer>> twice = List.of(List.of(batches.get(0).get(0)), batches.get(1), batches.get(2));

        JournalVerifier.Result r = feed(v, twice, true);

        assertThat(r.problem()).contains("batch 1 missing transfer seq 2 (count says 2, found 1)");
        assertThat(r.batches()).isZero();
        assertThat(r.checkpoints()).isZero();
    }

    // ------------------------------------------------------------------------------------------------- misuse

    @Test
    void misuseIsRefusedWithTheValue() {
        assertThatThrownBy(() -> JournalVerifier.after(0, 0, 0, JournalVerifier.GENESIS_HASH))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("regionId must be > 0: 0");
        assertThatThrownBy(() -> JournalVerifier.after(REGION, 0, 0, "abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("hash must be 64 hex digits: abc");
        assertThatThrownBy(() -> JournalVerifier.after(REGION, 0, 0, "x".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("hash must be 64 hex digits: " + "x".repeat(64));
        assertThatThrownBy(() -> JournalVerifier.after(REGION, 0, 3, JournalVerifier.GENESIS_HASH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("before batch 1 the journal is empty");
        assertThatThrownBy(() -> JournalVerifier.after(REGION, -1, 0, JournalVerifier.GENESIS_HASH))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("batchSeq and lastSeq must be >= 0: -1, 0");

        JournalVerifier v = fromGenesis();
        v.batch(1, 1, 2, hashes.get(0));
        assertThatThrownBy(() -> v.checkpoint("seal 9", 3, 6, hashes.get(2)))
                .isInstanceOf(IllegalStateException.class).hasMessage("checkpoints come before the first batch: seal 9");
        assertThatThrownBy(() -> v.transfer(batches.get(0).get(0), "12"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("digest must be 64 hex digits: 12");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static JournalVerifier fromGenesis() {
        return JournalVerifier.after(REGION, 0, 0, JournalVerifier.GENESIS_HASH);
    }

    /** Feeds batches 1.. in order, each declared with the count and hash of the unaltered journal. */
    private JournalVerifier.Result feed(JournalVerifier v, List<List<Transfer>> listed, boolean digests) {
        int offset = batches.size() - listed.size();
        for (int b = 0; b < listed.size(); b++) {
            List<Transfer> original = batches.get(b + offset);
            v.batch(b + offset + 1, original.get(0).seq(), original.size(), hashes.get(b + offset));
            for (Transfer t : listed.get(b)) {
                v.transfer(t, digests ? JournalVerifier.digest(t) : null);
            }
        }
        return v.finish();
    }

    static List<String> chain(long region, List<List<Transfer>> batches) {
        List<String> hashes = new ArrayList<>();
        byte[] previous = HashChain.GENESIS;
        for (int b = 0; b < batches.size(); b++) {
            previous = HashChain.next(previous, region, b + 1, batches.get(b));
            hashes.add(HashChain.hex(previous));
        }
        return hashes;
    }

    private static List<List<Transfer>> replace(List<List<Transfer>> batches, int batch, int index, Transfer with) {
        List<List<Transfer>> out = new ArrayList<>();
        for (List<Transfer> b : batches) {
            out.add(new ArrayList<>(b));
        }
        out.get(batch).set(index, with);
        return out;
    }

    private static Transfer transfer(long seq, long batchSeq, long amount) {
        return new Transfer(REGION, id(seq), seq, batchSeq, TransferKind.POSTED, BANK, SHOP, "YEN", amount, null, null,
                null, "PAYMENT", Map.of("till", "3"), null, null, false, Instant.parse("2026-11-22T01:02:03.456789Z"));
    }

    private static Transfer withAmount(Transfer t, long amount) {
        return new Transfer(t.regionId(), t.id(), t.seq(), t.batchSeq(), t.kind(), t.debitAccountId(), t.creditAccountId(),
                t.assetCode(), amount, t.pendingId(), t.reversalOf(), t.timeoutAt(), t.reason(), t.metadata(),
                t.lotSource(), t.lotExpiresAt(), t.linked(), t.timestamp());
    }

    private static UUID id(long seq) {
        return UUID.fromString(String.format("00000000-0000-7000-8000-%012d", seq));
    }
}
