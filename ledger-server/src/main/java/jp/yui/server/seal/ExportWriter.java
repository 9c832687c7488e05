package jp.yui.server.seal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import jp.yui.ledger.JournalVerifier;
import jp.yui.ledger.PostgresJournal;
import jp.yui.ledger.Transfer;

/**
 * Writes the lines of a journal export (docs/journal-export.md) into one chunk of UTF-8 JSON lines at a time. Every
 * field is written, nulls included, in a fixed order, so two exports of the same range differ only in
 * {@code exportedAt}.
 */
final class ExportWriter implements AutoCloseable {

    static final String FORMAT = "yui-journal-export";
    static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    private final JsonGenerator json;

    ExportWriter() {
        try {
            json = JSON.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.setRootValueSeparator(null); // lines end with '\n', written after each object
    }

    /** What asked for and what the export holds: the first line. */
    record Header(long regionId, long requestedFromSeq, Long requestedToSeq, PostgresJournal.Range range,
            int seals, Instant exportedAt) {
    }

    ExportWriter header(Header h) {
        return line(() -> {
            json.writeStringField("type", "header");
            json.writeStringField("format", FORMAT);
            json.writeNumberField("version", VERSION);
            json.writeNumberField("regionId", h.regionId());
            json.writeNumberField("requestedFromSeq", h.requestedFromSeq());
            if (h.requestedToSeq() == null) {
                json.writeNullField("requestedToSeq");
            } else {
                json.writeNumberField("requestedToSeq", h.requestedToSeq());
            }
            json.writeNumberField("firstBatchSeq", h.range().firstBatchSeq());
            json.writeNumberField("lastBatchSeq", h.range().lastBatchSeq());
            json.writeNumberField("firstSeq", h.range().firstSeq());
            json.writeNumberField("lastSeq", h.range().lastSeq());
            json.writeStringField("previousHash", h.range().previousHash());
            json.writeNumberField("seals", h.seals());
            json.writeStringField("exportedAt", h.exportedAt().toString());
        });
    }

    ExportWriter seal(Seals.SealRow seal) {
        SealStatement s = seal.statement();
        return line(() -> {
            json.writeStringField("type", "seal");
            json.writeNumberField("sealSeq", s.sealSeq());
            json.writeNumberField("batchSeq", s.batchSeq());
            json.writeNumberField("lastSeq", s.lastSeq());
            json.writeStringField("headHash", s.headHash());
            json.writeStringField("sealedAt", s.sealedAt().toString());
            json.writeStringField("keyId", s.keyId());
            json.writeStringField("signature", Base64.getEncoder().encodeToString(seal.signature()));
            nullable("tsaToken", seal.tsaToken() == null ? null : Base64.getEncoder().encodeToString(seal.tsaToken()));
            nullable("tsaTime", seal.tsaTime());
        });
    }

    ExportWriter batch(PostgresJournal.Batch b) {
        line(() -> {
            json.writeStringField("type", "batch");
            json.writeNumberField("batchSeq", b.batchSeq());
            json.writeNumberField("firstSeq", b.firstSeq());
            json.writeNumberField("count", b.count());
            json.writeStringField("hash", b.hash());
            json.writeStringField("committedAt", b.committedAt().toString());
        });
        for (Transfer t : b.transfers()) {
            transfer(t);
        }
        return this;
    }

    private void transfer(Transfer t) {
        line(() -> {
            json.writeStringField("type", "transfer");
            json.writeNumberField("seq", t.seq());
            json.writeNumberField("batchSeq", t.batchSeq());
            json.writeStringField("id", t.id().toString());
            json.writeStringField("kind", t.kind().name());
            json.writeStringField("debitAccountId", t.debitAccountId().toString());
            json.writeStringField("creditAccountId", t.creditAccountId().toString());
            json.writeStringField("assetCode", t.assetCode());
            json.writeNumberField("amount", t.amount());
            nullable("pendingId", t.pendingId());
            nullable("reversalOf", t.reversalOf());
            nullable("timeoutAt", t.timeoutAt());
            json.writeStringField("reason", t.reason());
            json.writeObjectFieldStart("metadata");
            for (Map.Entry<String, String> e : t.metadata().entrySet()) {
                json.writeStringField(e.getKey(), e.getValue());
            }
            json.writeEndObject();
            nullable("lotSource", t.lotSource());
            nullable("lotExpiresAt", t.lotExpiresAt());
            json.writeBooleanField("linked", t.linked());
            json.writeStringField("timestamp", t.timestamp().toString());
            json.writeStringField("digest", JournalVerifier.digest(t));
        });
    }

    ExportWriter end(long batches, long transfers, int seals) {
        return line(() -> {
            json.writeStringField("type", "end");
            json.writeNumberField("batches", batches);
            json.writeNumberField("transfers", transfers);
            json.writeNumberField("seals", seals);
        });
    }

    /** The lines written so far, then starts afresh. */
    byte[] take() {
        flush();
        byte[] bytes = out.toByteArray();
        out.reset();
        return bytes;
    }

    @Override
    public void close() {
        try {
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Fields {
        void write() throws IOException;
    }

    private ExportWriter line(Fields fields) {
        try {
            json.writeStartObject();
            fields.write();
            json.writeEndObject();
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e); // only a ByteArrayOutputStream underneath: cannot happen
        }
        return this;
    }

    private void nullable(String name, Object value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else {
            json.writeStringField(name, value instanceof UUID || value instanceof Instant ? value.toString() : (String) value);
        }
    }

    private void flush() {
        try {
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
