package jp.yui.ledger;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a stretch of a region's hash-chained journal away from the ledger, for example an export read back from
 * a file by an auditor. Fed in journal order (a batch, then its transfers, then the next batch), it re-computes
 * every batch hash exactly as the ledger wrote it, {@code SHA-256(previous hash ‖ "B|region|batch|count\n" ‖
 * canonical transfers)}, and stops at the first problem, which it names: the transfer or the batch, and how it
 * differs.
 *
 * <pre>{@code
 * JournalVerifier v = JournalVerifier.after(region, 0, 0, JournalVerifier.GENESIS_HASH);
 * v.checkpoint("seal 1", 12, 40, sealedHeadHash);      // a head signed elsewhere, before any batch
 * v.batch(1, 1, 2, batchHash);                          // then, in order, each batch and its transfers
 * v.transfer(t1, digestFromTheFile);
 * v.transfer(t2, null);
 * ...
 * JournalVerifier.Result r = v.finish();                // r.problem() is the first problem, if any
 * }</pre>
 *
 * <p>A stretch need not start at the genesis: {@link #after} takes the batch just before it, whose hash only a
 * later checkpoint vouches for (every batch hash after it depends on it). A checkpoint is a chain head signed
 * elsewhere (a seal): the verifier checks that the chain it re-computed reaches that batch with the same last seq
 * and hash. Without checkpoints a stretch only shows that it is consistent with itself: whoever edits it can
 * re-compute every hash.
 *
 * <p>Hashes are 64 lower-case hex digits (upper case is accepted). Problems in the data (a count that does not
 * match, a seq out of place, a hash that differs) are reported, never thrown; exceptions are for misuse. Not
 * thread-safe: one instance per stretch.
 */
public final class JournalVerifier {

    /** The hash before a region's first batch: 32 zero bytes. */
    public static final String GENESIS_HASH = hex(HashChain.GENESIS);

    private final long regionId;
    private final long startBatchSeq;
    private final Map<Long, List<Checkpoint>> checkpoints = new HashMap<>();
    private byte[] previousHash;
    private long previousBatchSeq;
    private long previousLastSeq;
    private long transfers;
    private long batches;
    private int checkpointsVerified;
    private long lastCheckpointSeq;
    private boolean started;
    private OpenBatch current;
    private String problem;

    private JournalVerifier(long regionId, long batchSeq, long lastSeq, byte[] hash) {
        this.regionId = regionId;
        this.startBatchSeq = batchSeq;
        this.previousBatchSeq = batchSeq;
        this.previousLastSeq = lastSeq;
        this.previousHash = hash;
    }

    /**
     * A verifier for the stretch of the region's journal that follows the given batch.
     *
     * @param regionId the region whose journal this is (it is part of every batch hash)
     * @param batchSeq the batch just before the stretch; 0 if the stretch starts at the region's first batch
     * @param lastSeq  the last transfer seq of that batch; 0 with batch 0
     * @param hash     that batch's hash; {@link #GENESIS_HASH} with batch 0
     * @throws IllegalArgumentException if regionId is not positive, batchSeq or lastSeq is negative, batch 0 comes
     *                                  with another seq or hash than the genesis, or hash is not 64 hex digits
     * @throws NullPointerException     if hash is null
     */
    public static JournalVerifier after(long regionId, long batchSeq, long lastSeq, String hash) {
        if (regionId <= 0) {
            throw new IllegalArgumentException("regionId must be > 0: " + regionId);
        }
        if (batchSeq < 0 || lastSeq < 0) {
            throw new IllegalArgumentException("batchSeq and lastSeq must be >= 0: " + batchSeq + ", " + lastSeq);
        }
        byte[] bytes = parseHash("hash", hash);
        if (batchSeq == 0 && (lastSeq != 0 || !Arrays.equals(bytes, HashChain.GENESIS))) {
            throw new IllegalArgumentException("before batch 1 the journal is empty: seq must be 0 and the hash the "
                    + "genesis hash, not seq " + lastSeq + " and " + hash);
        }
        return new JournalVerifier(regionId, batchSeq, lastSeq, bytes);
    }

    /**
     * The digest of one transfer as the hash chain covers it: SHA-256 of its canonical bytes, in hex. An export
     * may carry it beside each transfer so that a changed transfer is named, not only its batch. It proves nothing
     * by itself (whoever changes a transfer can re-compute it); the batch hashes and checkpoints do.
     *
     * @throws NullPointerException if transfer is null
     */
    public static String digest(Transfer transfer) {
        Objects.requireNonNull(transfer, "transfer");
        return hex(HashChain.sha256().digest(HashChain.canonical(transfer)));
    }

    /**
     * Expects the chain to pass through a head signed elsewhere: batch {@code batchSeq} must end at
     * {@code lastSeq} with {@code hash}. Give every checkpoint before the first batch. A checkpoint at the batch
     * before the stretch is checked at once; one before that cannot be checked and is a problem, and so is one the
     * stretch never reaches ({@link #finish()}).
     *
     * @param name how problems name it, e.g. {@code "seal 3"}
     * @throws IllegalStateException    if a batch was already given
     * @throws IllegalArgumentException if hash is not 64 hex digits
     * @throws NullPointerException     if name or hash is null
     */
    public void checkpoint(String name, long batchSeq, long lastSeq, String hash) {
        Objects.requireNonNull(name, "name");
        byte[] bytes = parseHash("hash", hash);
        if (started) {
            throw new IllegalStateException("checkpoints come before the first batch: " + name);
        }
        if (problem != null) {
            return;
        }
        Checkpoint cp = new Checkpoint(name, batchSeq, lastSeq, bytes);
        if (batchSeq < startBatchSeq) {
            fail(name + " seals batch " + batchSeq + ", before the journal here starts (after batch " + startBatchSeq + ")");
        } else if (batchSeq == startBatchSeq) {
            reach(cp, previousLastSeq, previousHash);
        } else {
            checkpoints.computeIfAbsent(batchSeq, k -> new ArrayList<>()).add(cp);
        }
    }

    /**
     * The next batch, before its transfers: closes the previous batch (re-computing its hash) and opens this one.
     *
     * @param firstSeq the seq of its first transfer
     * @param count    how many transfers it holds (part of its hash)
     * @param hash     the hash the ledger stored for it
     * @return whether the stretch is still without problems
     * @throws IllegalArgumentException if hash is not 64 hex digits
     * @throws NullPointerException     if hash is null
     */
    public boolean batch(long batchSeq, long firstSeq, int count, String hash) {
        byte[] bytes = parseHash("hash", hash);
        started = true;
        closeBatch();
        if (problem != null) {
            return false;
        }
        if (batchSeq != previousBatchSeq + 1) {
            return fail(batchSeq <= previousBatchSeq
                    ? "batch " + batchSeq + " follows batch " + previousBatchSeq + ": batches repeated or out of order"
                    : "batch " + batchSeq + " follows batch " + previousBatchSeq + ": batch " + (previousBatchSeq + 1)
                            + (batchSeq == previousBatchSeq + 2 ? "" : " to " + (batchSeq - 1)) + " missing");
        }
        if (count <= 0) {
            return fail("batch " + batchSeq + " says it holds " + count + " transfers");
        }
        if (firstSeq != previousLastSeq + 1) {
            return fail(firstSeq > previousLastSeq + 1
                    ? "batch " + batchSeq + " starts at seq " + firstSeq + ", but the journal before it ends at seq "
                            + previousLastSeq + ": seq " + (previousLastSeq + 1) + " missing"
                    : "batch " + batchSeq + " starts at seq " + firstSeq + ", but the journal before it already reaches seq "
                            + previousLastSeq);
        }
        current = new OpenBatch(batchSeq, firstSeq, count, bytes);
        return true;
    }

    /**
     * The next transfer of the open batch.
     *
     * @param digest the transfer's digest as the export carries it ({@link #digest(Transfer)}), or null if it
     *               carries none
     * @return whether the stretch is still without problems
     * @throws IllegalArgumentException if digest is given and is not 64 hex digits
     * @throws NullPointerException     if transfer is null
     */
    public boolean transfer(Transfer transfer, String digest) {
        Objects.requireNonNull(transfer, "transfer");
        byte[] claimed = digest == null ? null : parseHash("digest", digest);
        started = true;
        transfers++;
        if (problem != null) {
            return false;
        }
        if (current == null) {
            return fail("transfer seq " + transfer.seq() + " (id " + transfer.id() + ") comes before any batch");
        }
        current.transfers.add(transfer);
        current.digests.add(claimed);
        // A batch is buffered until it closes, as its writer held it in memory; past its count something is
        // wrong already, so say what at once instead of buffering on.
        if (current.transfers.size() > current.count) {
            listedInOrder(current, current.transfers.size());
            current = null;
            return false;
        }
        return true;
    }

    /** The first problem found so far. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /**
     * Ends the stretch: closes the last batch and checks that every checkpoint was reached. Further calls answer the
     * same result.
     */
    public Result finish() {
        closeBatch();
        if (problem == null) {
            checkpoints.values().stream().flatMap(List::stream)
                    .min((a, b) -> Long.compare(a.batchSeq, b.batchSeq))
                    .ifPresent(cp -> fail(cp.name + " seals batch " + cp.batchSeq + ", but the journal here ends at batch "
                            + previousBatchSeq));
        }
        return new Result(transfers, batches, previousBatchSeq, previousLastSeq, checkpointsVerified, lastCheckpointSeq,
                Optional.ofNullable(problem));
    }

    /**
     * What a stretch showed.
     *
     * @param transfers         transfers given
     * @param batches           batches whose hash was re-computed and matched
     * @param lastBatchSeq      the last batch that matched (the one before the stretch if none did)
     * @param lastSeq           the last transfer seq of that batch
     * @param checkpoints       checkpoints the re-computed chain passed through
     * @param lastCheckpointSeq the highest last seq among them; 0 if none
     * @param problem           the first problem, if any
     */
    public record Result(long transfers, long batches, long lastBatchSeq, long lastSeq, int checkpoints,
            long lastCheckpointSeq, Optional<String> problem) {

        public Result {
            Objects.requireNonNull(problem, "problem");
        }

        /** Whether the stretch showed no problem. */
        public boolean ok() {
            return problem.isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------------- internals

    private void closeBatch() {
        OpenBatch b = current;
        current = null;
        if (b == null || problem != null || !listedInOrder(b, b.transfers.size())) {
            return;
        }
        if (b.transfers.size() < b.count) {
            missing(b, b.firstSeq + b.transfers.size());
            return;
        }
        byte[] hash = HashChain.next(previousHash, regionId, b.batchSeq, b.transfers);
        if (!MessageDigest.isEqual(hash, b.hash)) {
            Transfer first = b.transfers.get(0);
            // Every transfer matched its own digest: the change was made before those digests were (in the
            // database, before the export was written), or the digests were re-computed along with it.
            String why = b.digests.stream().anyMatch(Objects::nonNull) ? " (each transfer matches its digest, so the "
                    + "change was made before the export was written, or the digests were re-computed too)" : "";
            fail(b.count == 1
                    ? "transfer seq " + first.seq() + " (id " + first.id() + ") in batch " + b.batchSeq
                            + ": hash mismatch — the transfer or its batch was changed" + why
                    : "batch " + b.batchSeq + " (seq " + b.firstSeq + " to " + b.lastSeq() + ", first id " + first.id()
                            + "): hash mismatch — one of its transfers or the batch itself was changed" + why);
            return;
        }
        batches++;
        previousHash = hash;
        previousBatchSeq = b.batchSeq;
        previousLastSeq = b.lastSeq();
        for (Checkpoint cp : checkpoints.getOrDefault(b.batchSeq, List.of())) {
            if (!reach(cp, previousLastSeq, previousHash)) {
                return;
            }
        }
        checkpoints.remove(b.batchSeq);
    }

    /**
     * Whether the first {@code n} transfers listed for the batch are its seqs in order, each of this batch and
     * matching its digest; else records the first that is not, in the order the stretch lists them.
     */
    private boolean listedInOrder(OpenBatch b, int n) {
        List<Transfer> ts = b.transfers;
        for (int i = 0; i < n; i++) {
            Transfer t = ts.get(i);
            long expected = b.firstSeq + i;
            if (i >= b.count || t.seq() != expected) {
                return misplaced(b, i);
            }
            if (t.batchSeq() != b.batchSeq) {
                return fail("transfer seq " + t.seq() + " (id " + t.id() + ") says batch " + t.batchSeq()
                        + " but is listed in batch " + b.batchSeq);
            }
            byte[] claimed = b.digests.get(i);
            if (claimed != null && !MessageDigest.isEqual(claimed, HashChain.sha256().digest(HashChain.canonical(t)))) {
                return fail("transfer seq " + t.seq() + " (id " + t.id() + ") in batch " + b.batchSeq
                        + ": hash mismatch — changed or re-ordered");
            }
        }
        return true;
    }

    /** Records why the transfer at position {@code i} is not the seq that belongs there; always false. */
    private boolean misplaced(OpenBatch b, int i) {
        List<Transfer> ts = b.transfers;
        Transfer t = ts.get(i);
        long expected = b.firstSeq + i;
        for (int j = 0; j < i; j++) {
            if (ts.get(j).seq() == t.seq()) {
                return fail("batch " + b.batchSeq + " lists transfer seq " + t.seq() + " twice (ids " + ts.get(j).id()
                        + " and " + t.id() + ")");
            }
        }
        if (t.seq() < b.firstSeq || t.seq() > b.lastSeq()) {
            return fail("batch " + b.batchSeq + " (seq " + b.firstSeq + " to " + b.lastSeq() + ") lists transfer seq "
                    + t.seq() + " (id " + t.id() + "), which is not one of its seqs — moved, added or re-numbered");
        }
        for (int j = i + 1; j < ts.size(); j++) {
            if (ts.get(j).seq() == expected) {
                return fail("batch " + b.batchSeq + ": transfer seq " + t.seq() + " (id " + t.id()
                        + ") is listed where seq " + expected + " (id " + ts.get(j).id() + ") belongs — re-ordered");
            }
        }
        return missing(b, expected);
    }

    private boolean missing(OpenBatch b, long seq) {
        return fail("batch " + b.batchSeq + " missing transfer seq " + seq + " (count says " + b.count + ", found "
                + b.transfers.size() + ")");
    }

    private boolean reach(Checkpoint cp, long lastSeq, byte[] hash) {
        if (cp.lastSeq != lastSeq || !MessageDigest.isEqual(cp.hash, hash)) {
            return fail(cp.name + ": the sealed head (batch " + cp.batchSeq + ", seq " + cp.lastSeq + ", hash "
                    + hex(cp.hash) + ") does not match the journal (batch " + cp.batchSeq + " ends at seq " + lastSeq
                    + " with hash " + hex(hash) + ")");
        }
        checkpointsVerified++;
        lastCheckpointSeq = Math.max(lastCheckpointSeq, lastSeq);
        return true;
    }

    private boolean fail(String what) {
        if (problem == null) {
            problem = what;
        }
        return false;
    }

    private static byte[] parseHash(String name, String hex) {
        Objects.requireNonNull(hex, name);
        if (hex.length() != 64) {
            throw new IllegalArgumentException(name + " must be 64 hex digits: " + hex);
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be 64 hex digits: " + hex, e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private record Checkpoint(String name, long batchSeq, long lastSeq, byte[] hash) {
    }

    private static final class OpenBatch {
        final long batchSeq;
        final long firstSeq;
        final int count;
        final byte[] hash;
        final List<Transfer> transfers = new ArrayList<>();
        final List<byte[]> digests = new ArrayList<>();

        OpenBatch(long batchSeq, long firstSeq, int count, byte[] hash) {
            this.batchSeq = batchSeq;
            this.firstSeq = firstSeq;
            this.count = count;
            this.hash = hash;
        }

        long lastSeq() {
            return firstSeq + count - 1;
        }
    }
}
