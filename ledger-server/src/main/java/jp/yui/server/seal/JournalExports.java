package jp.yui.server.seal;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import jp.yui.ledger.PostgresJournal;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.region.Regions;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Journal exports for auditors: one JSON-lines file per request (docs/journal-export.md) holding the requested
 * transfers as whole batches, each batch's hash, the hash before the first batch, and the seals whose head falls in
 * the range, to be checked offline by {@code verify-export}.
 *
 * <p>The file is streamed: it is read a page of about {@value #PAGE_TRANSFERS} transfers at a time, each page one
 * short query, as the client takes it in, so neither the server's memory nor a database transaction grows with the
 * journal. The range and its seals are fixed before the first byte goes out; batches committed meanwhile are not
 * in it. A failure half-way cuts the stream off before its {@code end} line, which the verifier reports as a
 * truncated file.
 */
@Singleton
public class JournalExports {

    static final int PAGE_TRANSFERS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(JournalExports.class);

    private final PostgresJournal journal;
    private final Seals seals;
    private final Regions regions;
    private final Clock clock;

    public JournalExports(PostgresJournal journal, Seals seals, Regions regions, Clock clock) {
        this.journal = journal;
        this.seals = seals;
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * An export ready to stream.
     *
     * @param fileName what to save it as, e.g. {@code yui-journal-7-seq-1-40.jsonl}
     * @param body     the file's bytes, produced as they are asked for
     */
    public record Export(String fileName, Publisher<byte[]> body) {
    }

    /**
     * Plans the export of transfers {@code fromSeq} to {@code toSeq}, rounded out to whole batches.
     *
     * @param toSeq the last transfer wanted; null for the journal's head now
     * @throws ProblemException 404 if the region is unknown or its journal holds no transfer in the range; 400
     *                          {@code validation} if fromSeq is below 1 or toSeq below fromSeq
     */
    public Export open(long regionId, long fromSeq, @Nullable Long toSeq) {
        regions.require(regionId);
        Problems.requireBetween("fromSeq", fromSeq, 1, Long.MAX_VALUE);
        if (toSeq != null) {
            Problems.requireBetween("toSeq", toSeq, fromSeq, Long.MAX_VALUE);
        }
        PostgresJournal.Range range = journal.range(regionId, fromSeq, toSeq == null ? Long.MAX_VALUE : toSeq)
                .orElseThrow(() -> new ProblemException(404, Problems.BASE + "not-found", "Not found",
                        "region " + regionId + "'s journal holds no transfer from seq " + fromSeq
                                + (toSeq == null ? "" : " to " + toSeq)));
        // A seal of the batch just before the range vouches for the range's starting hash.
        List<Seals.SealRow> covering = seals.sealing(regionId, range.firstBatchSeq() - 1, range.lastBatchSeq());
        ExportWriter.Header header = new ExportWriter.Header(regionId, fromSeq, toSeq, range, covering.size(),
                clock.instant());
        Flux<byte[]> body = Flux.<byte[], Cursor>generate(Cursor::new, (cursor, sink) -> {
            if (cursor.after < 0) {
                try (ExportWriter w = new ExportWriter()) {
                    w.header(header);
                    covering.forEach(w::seal);
                    sink.next(w.take());
                }
                cursor.after = range.firstBatchSeq() - 1;
                return cursor;
            }
            List<PostgresJournal.Batch> page = journal.batches(range, cursor.after, PAGE_TRANSFERS);
            try (ExportWriter w = new ExportWriter()) {
                for (PostgresJournal.Batch b : page) {
                    w.batch(b);
                    cursor.batches++;
                    cursor.transfers += b.transfers().size();
                    cursor.after = b.batchSeq();
                }
                if (page.isEmpty()) {
                    w.end(cursor.batches, cursor.transfers, covering.size());
                    sink.next(w.take());
                    sink.complete();
                } else {
                    sink.next(w.take());
                }
            }
            return cursor;
        }).doOnError(e -> LOG.error("export of region {} seq {} to {} failed after it started; the file is cut short",
                regionId, range.firstSeq(), range.lastSeq(), e))
                .subscribeOn(Schedulers.boundedElastic());
        return new Export("yui-journal-" + regionId + "-seq-" + range.firstSeq() + "-" + range.lastSeq() + ".jsonl", body);
    }

    /** Where a streaming export is: before its header ({@code after < 0}), or after a batch. */
    private static final class Cursor {
        long after = -1;
        long batches;
        long transfers;
    }
}
