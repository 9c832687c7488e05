package jp.yui.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Re-computes a region's hash chain from its transfers in journal order and compares it with the stored batch
 * hashes; names the first batch and transfer where they part. Fed one transfer at a time so a store can stream.
 */
final class ChainCheck {

    /** A stored batch: its number, its first journal seq, how many transfers it holds, and its hash. */
    record Batch(long batchSeq, long firstSeq, int count, byte[] hash) {
    }

    private final long regionId;
    private final List<String> problems;
    private byte[] previous = HashChain.GENESIS;
    private long expectedSeq = 1;
    private long transfers;
    private long batches;
    private Batch current;
    private final List<Transfer> pending = new ArrayList<>();
    private boolean broken;

    ChainCheck(long regionId, List<String> problems) {
        this.regionId = regionId;
        this.problems = problems;
    }

    /** Walks stored batches and transfers, each in order, then checks the head. */
    void walk(java.util.Iterator<Batch> batches, java.util.Iterator<Transfer> transfers, byte[] headHash) {
        Batch current = null;
        while (transfers.hasNext()) {
            Transfer t = transfers.next();
            while ((current == null || t.batchSeq() > current.batchSeq()) && batches.hasNext()) {
                current = batches.next();
                batch(current);
            }
            transfer(t);
        }
        while (batches.hasNext()) {
            batch(batches.next());
        }
        finish(headHash);
    }

    /** The next stored batch, before its transfers. */
    private void batch(Batch batch) {
        closeBatch();
        current = batch;
    }

    /** The next transfer in journal order. */
    private void transfer(Transfer t) {
        transfers++;
        if (broken) {
            return;
        }
        if (t.seq() != expectedSeq) {
            fail("journal seq " + expectedSeq + " is missing or out of order: found transfer " + t.id() + " with seq "
                    + t.seq());
            return;
        }
        expectedSeq++;
        if (current == null || t.batchSeq() != current.batchSeq()) {
            fail("transfer " + t.id() + " (seq " + t.seq() + ") claims batch " + t.batchSeq() + " but the chain is at "
                    + (current == null ? "no batch" : "batch " + current.batchSeq()));
            return;
        }
        pending.add(t);
    }

    /** Ends the walk; {@code headHash} is the region's stored chain head. */
    private void finish(byte[] headHash) {
        closeBatch();
        if (!broken && !Arrays.equals(previous, headHash)) {
            fail("the journal head hash " + HashChain.hex(headHash) + " is not the end of the chain "
                    + HashChain.hex(previous));
        }
    }

    long transfers() {
        return transfers;
    }

    long batches() {
        return batches;
    }

    private void closeBatch() {
        if (current == null || broken) {
            return;
        }
        batches++;
        if (pending.size() != current.count()) {
            fail("batch " + current.batchSeq() + " should hold seq " + current.firstSeq() + " to "
                    + (current.firstSeq() + current.count() - 1) + " but holds " + pending.size() + " of its "
                    + current.count() + " transfers: a transfer was removed or moved");
        } else {
            byte[] hash = HashChain.next(previous, regionId, current.batchSeq(), pending);
            if (!Arrays.equals(hash, current.hash())) {
                fail("batch " + current.batchSeq() + " does not match its hash" + firstOf()
                        + ": a transfer in it was altered, added, removed or re-ordered");
            }
            previous = current.hash();
        }
        pending.clear();
        current = null;
    }

    private String firstOf() {
        return pending.isEmpty() ? "" : " (transfers from seq " + pending.get(0).seq() + ", id " + pending.get(0).id() + ")";
    }

    private void fail(String problem) {
        problems.add("hash chain: " + problem);
        broken = true;
    }
}
