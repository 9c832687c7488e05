package jp.yui.server.seal;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import jp.yui.ledger.JournalVerifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Checks a journal export (docs/journal-export.md) against the region's public seal keys, with no database and no
 * network: every seal's signature (and time-stamp, if it has one), then every batch hash re-computed from the
 * exported transfers by ledger-core's own {@link JournalVerifier}, and that the re-computed chain passes through
 * each sealed head. It stops at the first problem and names it.
 */
final class ExportVerifier {

    /** How a check ended. */
    enum Outcome {
        /** Everything holds. */
        OK,
        /** The export was altered, or is not the journal the seals signed. */
        ALTERED,
        /** The file is not an export at all. */
        NOT_AN_EXPORT
    }

    /**
     * The verdict: the outcome and one line saying it ({@code OK: …}, or the first problem).
     */
    record Verdict(Outcome outcome, String message) {
    }

    private final Map<String, Ed25519PublicKeyParameters> keys;
    private final X509CertificateHolder tsaCertificate;

    /**
     * @param keys           the region's public seal keys by key id (one, or several if the key changed)
     * @param tsaCertificate the time-stamp authority's certificate to check tokens with; null to check them with the
     *                       certificate each token carries
     */
    ExportVerifier(Map<String, Ed25519PublicKeyParameters> keys, X509CertificateHolder tsaCertificate) {
        this.keys = Map.copyOf(keys);
        this.tsaCertificate = tsaCertificate;
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one public key is needed");
        }
    }

    /**
     * Reads the export to its end, or to its first problem.
     *
     * @param notes told one line per verified seal, as they are checked
     * @throws IOException if the file cannot be read
     */
    Verdict verify(BufferedReader export, Consumer<String> notes) throws IOException {
        Objects.requireNonNull(notes, "notes");
        ExportReader reader = new ExportReader(export);
        ExportReader.Header header;
        try {
            header = reader.header();
        } catch (ExportReader.FormatException e) {
            return new Verdict(Outcome.NOT_AN_EXPORT, e.getMessage());
        }
        JournalVerifier chain;
        try {
            chain = JournalVerifier.after(header.regionId(), header.firstBatchSeq() - 1, header.firstSeq() - 1,
                    header.previousHash());
        } catch (IllegalArgumentException e) {
            return altered("line 1 (header): " + e.getMessage());
        }
        List<String> sealNotes = new ArrayList<>();
        long seals = 0;
        boolean journalStarted = false;
        ExportReader.End end = null;
        try {
            for (ExportReader.Line line = reader.next(header.regionId()); line != null; line = reader.next(header.regionId())) {
                if (end != null) {
                    return altered("line " + reader.lineNo() + " follows the end line");
                }
                if (line instanceof ExportReader.SealLine seal) {
                    if (journalStarted) {
                        return altered("line " + reader.lineNo() + ": seal " + seal.statement().sealSeq()
                                + " comes after the journal began; seals come first");
                    }
                    String problem = checkSeal(seal, sealNotes);
                    if (problem != null) {
                        return altered(problem);
                    }
                    SealStatement s = seal.statement();
                    chain.checkpoint("seal " + s.sealSeq(), s.batchSeq(), s.lastSeq(), s.headHash());
                    seals++;
                } else if (line instanceof ExportReader.BatchLine b) {
                    journalStarted = true;
                    chain.batch(b.batchSeq(), b.firstSeq(), b.count(), b.hash());
                } else if (line instanceof ExportReader.TransferLine t) {
                    journalStarted = true;
                    chain.transfer(t.transfer(), t.digest());
                } else if (line instanceof ExportReader.End e) {
                    end = e;
                } else {
                    throw new IllegalStateException("ExportReader.next() returned a header: " + line);
                }
                if (chain.problem().isPresent()) {
                    return altered(chain.problem().get());
                }
            }
        } catch (ExportReader.FormatException e) {
            return altered(e.getMessage());
        }
        JournalVerifier.Result r = chain.finish();
        if (r.problem().isPresent()) {
            return altered(r.problem().get());
        }
        if (end == null) {
            return altered("the export stops after line " + reader.lineNo() + " without its end line: it was cut short");
        }
        if (end.batches() != r.batches() || end.transfers() != r.transfers() || end.seals() != seals
                || header.seals() != seals) {
            return altered("the end line counts " + end.batches() + " batches, " + end.transfers() + " transfers and "
                    + end.seals() + " seals (the header " + header.seals() + " seals), but the export holds " + r.batches()
                    + ", " + r.transfers() + " and " + seals);
        }
        if (r.lastBatchSeq() != header.lastBatchSeq() || r.lastSeq() != header.lastSeq()) {
            return altered("the header says the export ends with batch " + header.lastBatchSeq() + " at seq "
                    + header.lastSeq() + ", but it ends with batch " + r.lastBatchSeq() + " at seq " + r.lastSeq());
        }
        if (seals == 0) {
            return altered("no seal covers this export: its hashes agree with each other, but nothing signs them");
        }
        sealNotes.forEach(notes);
        String ok = "OK: " + count(r.transfers(), "transfer") + ", " + count(r.batches(), "batch") + ", "
                + count(r.checkpoints(), "seal") + " verified up to seq " + r.lastCheckpointSeq();
        if (r.lastSeq() > r.lastCheckpointSeq()) {
            ok += "; seq " + (r.lastCheckpointSeq() + 1) + " to " + r.lastSeq() + " come after the last seal: hash-chained, "
                    + "but no seal signs them yet";
        }
        return new Verdict(Outcome.OK, ok);
    }

    /** The problem with a seal line, or null if its signature and time-stamp hold. */
    private String checkSeal(ExportReader.SealLine seal, List<String> notes) {
        SealStatement s = seal.statement();
        String name = "seal " + s.sealSeq();
        Ed25519PublicKeyParameters key = keys.get(s.keyId());
        if (key == null) {
            return name + " was signed by key " + s.keyId() + ", not by the key" + (keys.size() == 1 ? " " : "s ")
                    + String.join(", ", keys.keySet().stream().sorted().toList()) + " given";
        }
        if (!Ed25519Keys.verify(key, s.bytes(), seal.signature())) {
            return name + " signature invalid";
        }
        String stamped = "not time-stamped";
        if (seal.tsaToken() != null) {
            try {
                Rfc3161.Stamp stamp = Rfc3161.check(seal.tsaToken(), s.digest(), tsaCertificate);
                if (!stamp.time().equals(seal.tsaTime())) {
                    return name + " says it was time-stamped at " + seal.tsaTime() + ", but its token says "
                            + stamp.time();
                }
                stamped = "time-stamped " + stamp.time() + " by " + stamp.authority() + (tsaCertificate == null
                        ? " (checked with the certificate the token carries; give --tsa-cert to check who made it)"
                        : " (checked with the given TSA certificate)");
            } catch (Rfc3161.TimestampException e) {
                return name + " time-stamp invalid: " + e.getMessage();
            }
        } else if (seal.tsaTime() != null) {
            return name + " says it was time-stamped at " + seal.tsaTime() + ", but carries no token";
        }
        notes.add(name + ": batch " + s.batchSeq() + " (seq " + s.lastSeq() + ", head " + s.headHash() + ") sealed "
                + s.sealedAt() + " with key " + s.keyId() + "; " + stamped);
        return null;
    }

    private static Verdict altered(String problem) {
        return new Verdict(Outcome.ALTERED, problem);
    }

    private static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun.endsWith("h") ? noun + "es" : noun + "s");
    }
}
