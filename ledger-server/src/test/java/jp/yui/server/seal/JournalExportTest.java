package jp.yui.server.seal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import jp.yui.ledger.JournalVerifier;
import jp.yui.ledger.Transfer;
import org.junit.jupiter.api.Test;

/**
 * The audit end to end on a real server and database: seal, export, verify offline; and every way of altering the
 * export, or the database before the export, is refused with the first altered transfer (or seal) named.
 */
class JournalExportTest extends SealFixture {

    @Test
    void sealedExportVerifies() throws Exception {
        long region = newRegion();
        batch(region, 3);
        batch(region, 1);
        List<Transfer> third = batch(region, 4);
        Map<String, Object> seal = seal(region);

        Run run = verifyExport("--export", export(region, ""), "--public-key", publicKey(region));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("seal 1: batch " + third.get(0).batchSeq() + " (seq 8, head " + seal.get("headHash")
                + ") sealed " + seal.get("sealedAt") + " with key " + seal.get("keyId") + "; not time-stamped\n"
                + "OK: 8 transfers, 3 batches, 1 seal verified up to seq 8\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void rangeFromTheMiddleVerifiesFromTheHashBeforeIt() throws Exception {
        long region = newRegion();
        batch(region, 2);
        seal(region);
        batch(region, 3);
        batch(region, 2);
        seal(region);

        Path export = export(region, "?fromSeq=4&toSeq=6");

        List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        // Rounded out to whole batches: seq 3–5 and 6–7; seal 1 (of batch 1) vouches for the starting hash.
        assertThat(lines.get(0)).contains("\"requestedFromSeq\":4,\"requestedToSeq\":6,\"firstBatchSeq\":2,"
                + "\"lastBatchSeq\":3,\"firstSeq\":3,\"lastSeq\":7,");
        assertThat(lines.get(0)).doesNotContain("\"previousHash\":\"" + JournalVerifier.GENESIS_HASH);
        assertThat(lines).filteredOn(l -> l.startsWith("{\"type\":\"seal\"")).hasSize(2);
        Run run = verifyExport("--export", export, "--public-key", publicKey(region));
        assertThat(run.out()).endsWith("OK: 5 transfers, 2 batches, 2 seals verified up to seq 7\n");
        assertThat(run.exit()).isZero();
    }

    @Test
    void transfersAfterTheLastSealAreSaidToBeUnsigned() throws Exception {
        long region = newRegion();
        batch(region, 2);
        seal(region);
        batch(region, 2);

        Run run = verifyExport("--export", export(region, ""), "--public-key", publicKey(region));

        assertThat(run.exit()).isZero();
        assertThat(run.out()).endsWith("OK: 4 transfers, 2 batches, 1 seal verified up to seq 2; seq 3 to 4 come after "
                + "the last seal: hash-chained, but no seal signs them yet\n");
    }

    @Test
    void exportWithoutAnySealIsRefused() throws Exception {
        long region = newRegion();
        batch(region, 2);
        Path key = publicKey(region);

        Run run = verifyExport("--export", export(region, ""), "--public-key", key);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("FAILED: no seal covers this export: its hashes agree with each other, but nothing "
                + "signs them\n");
    }

    // -------------------------------------------------------------------------------------- the export altered

    @Test
    void changedAmountIsNamed() throws Exception {
        Audit a = sealedAudit();
        Transfer sixth = a.transfers.get(5);

        Path changed = altered(a.export, lines -> {
            int i = lineOfSeq(lines, 6);
            lines.set(i, lines.get(i).replace("\"amount\":" + sixth.amount() + ",", "\"amount\":" + (sixth.amount() + 1) + ","));
            return lines;
        });

        Run run = verifyExport("--export", changed, "--public-key", a.key);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("FAILED: transfer seq 6 (id " + sixth.id() + ") in batch " + sixth.batchSeq()
                + ": hash mismatch — changed or re-ordered\n");
    }

    @Test
    void changedAmountWithItsDigestForgedTooIsCaughtByTheBatchHash() throws Exception {
        Audit a = sealedAudit();
        Transfer sixth = a.transfers.get(5);
        Transfer forged = new Transfer(sixth.regionId(), sixth.id(), sixth.seq(), sixth.batchSeq(), sixth.kind(),
                sixth.debitAccountId(), sixth.creditAccountId(), sixth.assetCode(), sixth.amount() + 1, sixth.pendingId(),
                sixth.reversalOf(), sixth.timeoutAt(), sixth.reason(), sixth.metadata(), sixth.lotSource(),
                sixth.lotExpiresAt(), sixth.linked(), sixth.timestamp());

        Path changed = altered(a.export, lines -> {
            int i = lineOfSeq(lines, 6);
            lines.set(i, lines.get(i).replace("\"amount\":" + sixth.amount() + ",", "\"amount\":" + forged.amount() + ",")
                    .replace(JournalVerifier.digest(sixth), JournalVerifier.digest(forged)));
            return lines;
        });

        Run run = verifyExport("--export", changed, "--public-key", a.key);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).startsWith("FAILED: batch " + sixth.batchSeq() + " (seq 5 to 8, first id " + a.transfers.get(4).id()
                + "): hash mismatch — one of its transfers or the batch itself was changed");
    }

    @Test
    void deletedTransferLineIsNamed() throws Exception {
        Audit a = sealedAudit();

        Path changed = altered(a.export, lines -> {
            lines.remove(lineOfSeq(lines, 6));
            return lines;
        });

        Run run = verifyExport("--export", changed, "--public-key", a.key);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("FAILED: batch " + a.transfers.get(5).batchSeq()
                + " missing transfer seq 6 (count says 4, found 3)\n");
    }

    @Test
    void swappedTransfersAreNamed() throws Exception {
        Audit a = sealedAudit();

        Path changed = altered(a.export, lines -> {
            Collections.swap(lines, lineOfSeq(lines, 5), lineOfSeq(lines, 6));
            return lines;
        });

        Run run = verifyExport("--export", changed, "--public-key", a.key);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("FAILED: batch " + a.transfers.get(5).batchSeq() + ": transfer seq 6 (id "
                + a.transfers.get(5).id() + ") is listed where seq 5 (id " + a.transfers.get(4).id() + ") belongs — re-ordered\n");
    }

    @Test
    void transfersSwappedAcrossBatchesAreNamed() throws Exception {
        Audit a = sealedAudit(); // seq 4 is a batch of its own, seq 5 starts the next

        Path changed = altered(a.export, lines -> {
            Collections.swap(lines, lineOfSeq(lines, 4), lineOfSeq(lines, 5));
            return lines;
        });

        Run run = verifyExport("--export", changed, "--public-key", a.key);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("FAILED: batch " + a.transfers.get(3).batchSeq() + " (seq 4 to 4) lists transfer seq 5 "
                + "(id " + a.transfers.get(4).id() + "), which is not one of its seqs — moved, added or re-numbered\n");
    }

    @Test
    void cutShortExportIsRefused() throws Exception {
        Audit a = sealedAudit();

        Run noEnd = verifyExport("--export", altered(a.export, lines -> lines.subList(0, lines.size() - 1)),
                "--public-key", a.key);
        Run noLastBatch = verifyExport("--export", altered(a.export, lines -> lines.subList(0, lineOfSeq(lines, 5) - 1)),
                "--public-key", a.key);

        assertThat(noEnd.exit()).isEqualTo(1);
        assertThat(noEnd.out()).isEqualTo("FAILED: the export stops after line 13 without its end line: it was cut short\n");
        assertThat(noLastBatch.exit()).isEqualTo(1);
        assertThat(noLastBatch.out()).isEqualTo("FAILED: seal 1 seals batch " + a.transfers.get(7).batchSeq()
                + ", but the journal here ends at batch " + a.transfers.get(3).batchSeq() + "\n");
    }

    @Test
    void changedSealedHeadBreaksTheSignature() throws Exception {
        Audit a = sealedAudit();
        String head = (String) a.seal.get("headHash");

        Path changed = altered(a.export, lines -> {
            lines.set(1, lines.get(1).replace("\"lastSeq\":8", "\"lastSeq\":7"));
            return lines;
        });
        Path otherHash = altered(a.export, lines -> {
            lines.set(1, lines.get(1).replace(head, "0".repeat(64)));
            return lines;
        });

        assertThat(verifyExport("--export", changed, "--public-key", a.key).out()).isEqualTo("FAILED: seal 1 signature invalid\n");
        assertThat(verifyExport("--export", otherHash, "--public-key", a.key).out()).isEqualTo("FAILED: seal 1 signature invalid\n");
    }

    // --------------------------------------------------------------------------------------------- other keys

    @Test
    void sealSignedByAnotherKeyIsRefused() throws Exception {
        Audit a = sealedAudit();
        long other = newRegion();
        batch(other, 1);
        Map<String, Object> otherSeal = seal(other);
        Path otherKey = publicKey(other);

        Run wrongKey = verifyExport("--export", a.export, "--public-key", otherKey);
        // The other region's signature and key id put into this region's seal: the key is then the right one, the
        // signature is not of this statement.
        Path transplanted = altered(a.export, lines -> {
            lines.set(1, lines.get(1).replace((String) a.seal.get("signature"), (String) otherSeal.get("signature"))
                    .replace((String) a.seal.get("keyId"), (String) otherSeal.get("keyId")));
            return lines;
        });
        Run forged = verifyExport("--export", transplanted, "--public-key", otherKey, "--public-key", a.key);

        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(wrongKey.out()).isEqualTo("FAILED: seal 1 was signed by key " + a.seal.get("keyId") + ", not by the key "
                + otherSeal.get("keyId") + " given\n");
        assertThat(forged.exit()).isEqualTo(1);
        assertThat(forged.out()).isEqualTo("FAILED: seal 1 signature invalid\n");
        assertThat(verifyExport("--export", a.export, "--public-key", otherKey, "--public-key", a.key).exit())
                .as("either of two keys may sign").isZero();
    }

    // ------------------------------------------------------------------------------------- the database altered

    @Test
    void rowChangedInTheDatabaseIsPinpointedInItsExport() throws Exception {
        Audit a = sealedAudit();
        Transfer fourth = a.transfers.get(3); // alone in its batch
        regions.remove(Long.valueOf(a.region)); // verify() must fail for it now
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("alter table ledger_transfer disable trigger user");
            try {
                st.execute("update ledger_transfer set amount = amount + 1000 where region_id = " + a.region
                        + " and transfer_id = '" + fourth.id() + "'");
            } finally {
                st.execute("alter table ledger_transfer enable trigger user");
            }
        }

        Run run = verifyExport("--export", export(a.region, ""), "--public-key", a.key);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("FAILED: transfer seq 4 (id " + fourth.id() + ") in batch " + fourth.batchSeq()
                + ": hash mismatch — the transfer or its batch was changed (each transfer matches its digest, so the change "
                + "was made before the export was written, or the digests were re-computed too)\n");
        assertThat(ledger().verify(a.region).problems()).anyMatch(p -> p.startsWith("hash chain: batch " + fourth.batchSeq()));
    }

    @Test
    void transferDeletedInTheDatabaseIsNamedInItsExport() throws Exception {
        Audit a = sealedAudit();
        Transfer sixth = a.transfers.get(5);
        regions.remove(Long.valueOf(a.region));
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("alter table ledger_transfer disable trigger user");
            try {
                st.execute("delete from ledger_transfer where region_id = " + a.region + " and transfer_id = '" + sixth.id() + "'");
            } finally {
                st.execute("alter table ledger_transfer enable trigger user");
            }
        }

        Run run = verifyExport("--export", export(a.region, ""), "--public-key", a.key);

        assertThat(run.out()).isEqualTo("FAILED: batch " + sixth.batchSeq() + " missing transfer seq 6 (count says 4, found 3)\n");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void sealsRefuseChangesLikeTheJournal() throws Exception {
        Audit a = sealedAudit();
        for (String sql : List.of("update seal set last_seq = 1 where region_id = " + a.region,
                "delete from seal where region_id = " + a.region,
                "update seal_key set public_key_pem = 'x' where region_id = " + a.region,
                "truncate seal")) {
            try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
                st.execute(sql);
                throw new AssertionError("allowed: " + sql);
            } catch (SQLException e) {
                assertThat(e.getMessage()).as(sql).contains("is append-only");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ streaming

    @Test
    void largeJournalStreamsInPagesAndVerifies() throws Exception {
        long region = newRegion();
        for (int i = 0; i < 5; i++) {
            batch(region, 1_000);
        }
        seal(region);

        HttpResponse<Path> r = download("/regions/" + region + "/journal/export", finance(region));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).as("streamed, not sized up front").isEmpty();
        assertThat(r.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"yui-journal-" + region + "-seq-1-5000.jsonl\"");
        Run run = verifyExport("--export", r.body(), "--public-key", publicKey(region));
        assertThat(run.out()).endsWith("OK: 5000 transfers, 5 batches, 1 seal verified up to seq 5000\n");
        assertThat(run.exit()).isZero();
    }

    @Test
    void rangeWithoutTransfersIsNotFoundAndABackwardsRangeIsInvalid() throws Exception {
        long region = newRegion();
        batch(region, 2);

        HttpResponse<Path> beyond = download("/regions/" + region + "/journal/export?fromSeq=3", finance(region));
        HttpResponse<Path> backwards = download("/regions/" + region + "/journal/export?fromSeq=2&toSeq=1", finance(region));
        HttpResponse<Path> zero = download("/regions/" + region + "/journal/export?fromSeq=0", finance(region));

        assertThat(beyond.statusCode()).isEqualTo(404);
        assertThat(Files.readString(beyond.body())).contains("region " + region + "'s journal holds no transfer from seq 3");
        assertThat(backwards.statusCode()).isEqualTo(400);
        assertThat(Files.readString(backwards.body())).contains("toSeq must be between 2 and");
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(Files.readString(zero.body())).contains("fromSeq must be between 1 and");
    }

    // ---------------------------------------------------------------------------------------------- fixtures

    /** A region with batches of 3, 1 and 4 transfers (seq 1–3, 4, 5–8), sealed, exported, and its key. */
    private record Audit(long region, List<Transfer> transfers, Map<String, Object> seal, Path export, Path key) {
    }

    private Audit sealedAudit() throws IOException, InterruptedException {
        long region = newRegion();
        List<Transfer> transfers = new ArrayList<>();
        transfers.addAll(batch(region, 3));
        transfers.addAll(batch(region, 1));
        transfers.addAll(batch(region, 4));
        Map<String, Object> seal = seal(region);
        Path export = export(region, "");
        Path key = publicKey(region);
        assertThat(verifyExport("--export", export, "--public-key", key).exit()).as("the export as made verifies").isZero();
        return new Audit(region, transfers, seal, export, key);
    }
}
