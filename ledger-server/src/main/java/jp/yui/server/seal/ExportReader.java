package jp.yui.server.seal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import jp.yui.ledger.Transfer;
import jp.yui.ledger.TransferKind;

/**
 * Reads a journal export line by line into typed lines, the counterpart of {@link ExportWriter}. A line that is not
 * what the format says (not JSON, a field missing or of the wrong type) is a {@link FormatException} naming the line
 * and the field: the server never writes one, so to the verifier it means the file was altered.
 */
final class ExportReader implements Closeable {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private final BufferedReader in;
    private int lineNo;

    ExportReader(BufferedReader in) {
        this.in = in;
    }

    /** A line that does not follow the format. */
    static final class FormatException extends Exception {
        FormatException(String message) {
            super(message);
        }
    }

    sealed interface Line permits Header, SealLine, BatchLine, TransferLine, End {
    }

    record Header(long regionId, long firstBatchSeq, long lastBatchSeq, long firstSeq, long lastSeq, String previousHash,
            long seals, String exportedAt) implements Line {
    }

    record SealLine(SealStatement statement, byte[] signature, byte[] tsaToken, Instant tsaTime) implements Line {
    }

    record BatchLine(long batchSeq, long firstSeq, int count, String hash) implements Line {
    }

    record TransferLine(Transfer transfer, String digest) implements Line {
    }

    record End(long batches, long transfers, long seals) implements Line {
    }

    /** The number of the line last read, from 1. */
    int lineNo() {
        return lineNo;
    }

    /**
     * The first line, which must be the header.
     *
     * @throws FormatException if it is missing or not a header of this format's version
     * @throws IOException     if the file cannot be read
     */
    Header header() throws IOException, FormatException {
        String text = in.readLine();
        lineNo = 1;
        if (text == null) {
            throw new FormatException("the file is empty");
        }
        Fields f = fields(text);
        if (!"header".equals(f.map.get("type")) || !ExportWriter.FORMAT.equals(f.map.get("format"))) {
            throw new FormatException("line 1 is not the header of a " + ExportWriter.FORMAT);
        }
        long version = f.number("version");
        if (version != ExportWriter.VERSION) {
            throw new FormatException("line 1: format version " + version + " is not supported (this verifier reads "
                    + ExportWriter.VERSION + ")");
        }
        return new Header(f.number("regionId"), f.number("firstBatchSeq"), f.number("lastBatchSeq"), f.number("firstSeq"),
                f.number("lastSeq"), f.hash("previousHash"), f.number("seals"), f.string("exportedAt"));
    }

    /**
     * The next line after the header (a seal, batch, transfer or end line), or null at the end of the file.
     *
     * @param regionId the header's region, which the seals and transfers belong to
     * @throws FormatException if the line does not follow the format
     * @throws IOException     if the file cannot be read
     */
    Line next(long regionId) throws IOException, FormatException {
        String text = in.readLine();
        if (text == null) {
            return null;
        }
        lineNo++;
        Fields f = fields(text);
        String type = f.string("type");
        try {
            switch (type) {
                case "seal":
                    SealStatement s = new SealStatement(regionId, f.number("sealSeq"), f.number("batchSeq"),
                            f.number("lastSeq"), f.hash("headHash"), f.instant("sealedAt"), f.string("keyId"));
                    String token = f.nullableString("tsaToken");
                    String tsaTime = f.nullableString("tsaTime");
                    return new SealLine(s, f.base64("signature"), token == null ? null : f.base64("tsaToken"),
                            tsaTime == null ? null : f.instant("tsaTime"));
                case "batch":
                    long count = f.number("count");
                    if (count < 0 || count > Integer.MAX_VALUE) {
                        throw f.wrong("count", "is out of range");
                    }
                    return new BatchLine(f.number("batchSeq"), f.number("firstSeq"), (int) count, f.hash("hash"));
                case "transfer":
                    return new TransferLine(new Transfer(regionId, f.uuid("id"), f.number("seq"), f.number("batchSeq"),
                            f.kind(), f.uuid("debitAccountId"), f.uuid("creditAccountId"), f.string("assetCode"),
                            f.number("amount"), f.nullableUuid("pendingId"), f.nullableUuid("reversalOf"),
                            f.nullableInstant("timeoutAt"), f.string("reason"), f.strings("metadata"),
                            f.nullableString("lotSource"), f.nullableInstant("lotExpiresAt"), f.bool("linked"),
                            f.instant("timestamp")), f.hash("digest"));
                case "end":
                    return new End(f.number("batches"), f.number("transfers"), f.number("seals"));
                case "header":
                    throw new FormatException("line " + lineNo + " is a second header");
                default:
                    throw new FormatException("line " + lineNo + ": unknown line type " + type);
            }
        } catch (IllegalArgumentException e) {
            // The records' own checks (a transfer's metadata, a seal's fields) refuse what the server never writes.
            throw new FormatException("line " + lineNo + " (" + type + "): " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private Fields fields(String text) throws FormatException {
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new FormatException("line " + lineNo + " is not a JSON object");
            }
            Map<String, Object> map = object(p);
            if (p.nextToken() != null) {
                throw new FormatException("line " + lineNo + " has more than one JSON object");
            }
            return new Fields(lineNo, map);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FormatException("line " + lineNo + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new FormatException("line " + lineNo + " is not valid JSON: " + e.getMessage());
        }
    }

    /** A flat JSON object whose values are strings, whole numbers, booleans, null or (metadata) such objects. */
    private Map<String, Object> object(JsonParser p) throws IOException, FormatException {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            Object value;
            if (t == JsonToken.VALUE_STRING) {
                value = p.getText();
            } else if (t == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) {
                    throw new FormatException("line " + lineNo + ": field " + name + " is out of range: " + p.getText());
                }
                value = p.getLongValue();
            } else if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                value = t == JsonToken.VALUE_TRUE;
            } else if (t == JsonToken.VALUE_NULL) {
                value = null;
            } else if (t == JsonToken.START_OBJECT) {
                value = object(p);
            } else {
                throw new FormatException("line " + lineNo + ": field " + name + " has an unexpected value " + p.getText());
            }
            if (map.containsKey(name)) {
                throw new FormatException("line " + lineNo + ": field " + name + " appears twice");
            }
            map.put(name, value);
        }
        return map;
    }

    /** Typed access to a line's fields; every refusal names the line and the field. */
    private static final class Fields {
        private final int lineNo;
        private final Map<String, Object> map;

        Fields(int lineNo, Map<String, Object> map) {
            this.lineNo = lineNo;
            this.map = map;
        }

        FormatException wrong(String name, String what) {
            return new FormatException("line " + lineNo + ": field " + name + " " + what);
        }

        private Object required(String name) throws FormatException {
            if (!map.containsKey(name)) {
                throw wrong(name, "is missing");
            }
            Object v = map.get(name);
            if (v == null) {
                throw wrong(name, "is null");
            }
            return v;
        }

        long number(String name) throws FormatException {
            if (!(required(name) instanceof Long n)) {
                throw wrong(name, "must be a whole number: " + map.get(name));
            }
            return n;
        }

        boolean bool(String name) throws FormatException {
            if (!(required(name) instanceof Boolean b)) {
                throw wrong(name, "must be true or false: " + map.get(name));
            }
            return b;
        }

        String string(String name) throws FormatException {
            if (!(required(name) instanceof String s)) {
                throw wrong(name, "must be a string: " + map.get(name));
            }
            return s;
        }

        String nullableString(String name) throws FormatException {
            if (!map.containsKey(name)) {
                throw wrong(name, "is missing");
            }
            return map.get(name) == null ? null : string(name);
        }

        String hash(String name) throws FormatException {
            String s = string(name);
            if (!HEX64.matcher(s).matches()) {
                throw wrong(name, "must be 64 lower-case hex digits: " + s);
            }
            return s;
        }

        byte[] base64(String name) throws FormatException {
            try {
                return Base64.getDecoder().decode(string(name));
            } catch (IllegalArgumentException e) {
                throw wrong(name, "is not base64: " + e.getMessage());
            }
        }

        UUID uuid(String name) throws FormatException {
            String s = string(name);
            try {
                return UUID.fromString(s);
            } catch (IllegalArgumentException e) {
                throw wrong(name, "is not a UUID: " + s);
            }
        }

        UUID nullableUuid(String name) throws FormatException {
            return nullableString(name) == null ? null : uuid(name);
        }

        Instant instant(String name) throws FormatException {
            String s = string(name);
            try {
                return Instant.parse(s);
            } catch (DateTimeException e) {
                throw wrong(name, "is not an ISO-8601 instant: " + s);
            }
        }

        Instant nullableInstant(String name) throws FormatException {
            return nullableString(name) == null ? null : instant(name);
        }

        TransferKind kind() throws FormatException {
            String s = string("kind");
            try {
                return TransferKind.valueOf(s);
            } catch (IllegalArgumentException e) {
                throw wrong("kind", "is not a transfer kind: " + s);
            }
        }

        Map<String, String> strings(String name) throws FormatException {
            if (!(required(name) instanceof Map<?, ?> m)) {
                throw wrong(name, "must be an object: " + map.get(name));
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getValue() instanceof String v)) {
                    throw wrong(name, "must hold only strings: " + e.getKey() + " is " + e.getValue());
                }
                out.put((String) e.getKey(), v);
            }
            return out;
        }
    }
}
