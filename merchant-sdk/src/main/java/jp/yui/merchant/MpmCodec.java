package jp.yui.merchant;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jp.yui.merchant.QrFormatException.Reason;

/**
 * Reads and writes EMVCo merchant-presented payloads and holds their rules, so that {@link QrPayload#parse} and
 * {@link QrPayload#of} refuse exactly the same things with exactly the same messages.
 *
 * <p>Reading goes from shape to meaning, and the first problem found is the one reported: the top-level TLV
 * structure (truncation, ids, lengths, duplicates), tag 00 first, tag 63 last, the CRC, the templates' structure,
 * each value in payload order, mandatory tags, and finally the amount against static or dynamic.
 */
final class MpmCodec {

    /** EMVCo's limit on a whole payload, in characters. */
    static final int MAX_PAYLOAD_LENGTH = 512;

    static final String FORMAT_INDICATOR = "00";
    static final String POINT_OF_INITIATION = "01";
    static final String CATEGORY_CODE = "52";
    static final String CURRENCY = "53";
    static final String AMOUNT = "54";
    static final String COUNTRY = "58";
    static final String NAME = "59";
    static final String CITY = "60";
    static final String POSTAL_CODE = "61";
    static final String ADDITIONAL_DATA = "62";
    static final String CRC = "63";
    static final String LANGUAGE_TEMPLATE = "64";

    static final String STATIC = "11";
    static final String DYNAMIC = "12";

    /** A field as read from a payload: where it was, and for a template its sub-fields. */
    private static final class Tlv {
        final String id;
        final String path;
        final int offset;
        final int valueOffset;
        final String value;
        List<Tlv> children = List.of();

        Tlv(String id, String path, int offset, int valueOffset, String value) {
            this.id = id;
            this.path = path;
            this.offset = offset;
            this.valueOffset = valueOffset;
            this.value = value;
        }

        int length() {
            return Chars.length(value);
        }

        Tlv child(String childId) {
            return find(children, childId);
        }

        String where() {
            return MpmCodec.where(path, offset);
        }
    }

    private MpmCodec() {
    }

    /** @return whether a top-level field with this id is a template: 26–51, 62, 64, 80–99 */
    static boolean isTemplateId(String id) {
        int n = Integer.parseInt(id);
        return (n >= 26 && n <= 51) || n == 62 || n == 64 || n >= 80;
    }

    /** @return the fields (which must not include tag 63) encoded, followed by their CRC in tag 63 */
    static String encode(List<QrField> fields) {
        StringBuilder out = new StringBuilder();
        for (QrField field : fields) {
            out.append(field.encode());
        }
        out.append(CRC).append("04");
        return out.append(Crc16.hex(Crc16.ccittFalse(out.toString().getBytes(UTF_8)))).toString();
    }

    /**
     * @return the payload's fields in order, tag 63 left out (it is checked and then implied by the others)
     * @throws QrFormatException if the payload breaks a rule
     */
    static List<QrField> decode(String payload) {
        Objects.requireNonNull(payload, "payload");
        int[] cps = payload.codePoints().toArray();
        if (cps.length == 0) {
            throw new QrFormatException(Reason.TRUNCATED, null, 0, "payload is empty");
        }
        if (cps.length > MAX_PAYLOAD_LENGTH) {
            throw new QrFormatException(Reason.BAD_VALUE, null, MAX_PAYLOAD_LENGTH,
                    "payload has " + cps.length + " characters, at most " + MAX_PAYLOAD_LENGTH);
        }
        List<Tlv> top = read(cps, 0, cps.length, null);
        checkFormatIndicator(top);
        Tlv crc = checkCrc(cps, top);
        for (Tlv tlv : top) {
            if (tlv != crc && isTemplateId(tlv.id)) {
                tlv.children = read(cps, tlv.valueOffset, tlv.valueOffset + tlv.length(), tlv);
            }
        }
        for (Tlv tlv : top) {
            if (tlv != crc) {
                checkValue(tlv);
            }
        }
        checkMandatory(top);
        checkAmount(top);

        List<QrField> fields = new ArrayList<>(top.size() - 1);
        for (Tlv tlv : top) {
            if (tlv != crc) {
                fields.add(toField(tlv));
            }
        }
        return fields;
    }

    private static QrField toField(Tlv tlv) {
        if (tlv.children.isEmpty()) {
            return QrField.of(tlv.id, tlv.value);
        }
        List<QrField> subFields = new ArrayList<>(tlv.children.size());
        for (Tlv child : tlv.children) {
            subFields.add(QrField.of(child.id, child.value));
        }
        return QrField.template(tlv.id, subFields);
    }

    // ---- structure -------------------------------------------------------------------------------------------

    /** Reads the TLVs in {@code cps[from, end)}: the whole payload, or the value of template {@code parent}. */
    private static List<Tlv> read(int[] cps, int from, int end, Tlv parent) {
        List<Tlv> out = new ArrayList<>();
        Map<String, Tlv> seen = new HashMap<>();
        String container = parent == null ? "payload" : "template " + parent.path;
        int offset = from;
        while (offset < end) {
            int left = end - offset;
            if (left < 2) {
                throw new QrFormatException(Reason.TRUNCATED, parent == null ? null : parent.path, offset,
                        "offset " + offset + ": " + container + " ends inside a tag id");
            }
            String id = text(cps, offset, 2);
            if (!Chars.isDigits(id)) {
                throw new QrFormatException(Reason.BAD_ID, null, offset,
                        "offset " + offset + ": tag id " + Chars.quote(id) + " is not two digits");
            }
            String path = parent == null ? id : parent.path + "." + id;
            if (left < 4) {
                throw new QrFormatException(Reason.TRUNCATED, path, offset,
                        where(path, offset) + ": " + container + " ends inside its length");
            }
            String lengthText = text(cps, offset + 2, 2);
            if (!Chars.isDigits(lengthText)) {
                throw new QrFormatException(Reason.NON_NUMERIC_LENGTH, path, offset,
                        where(path, offset) + ": length " + Chars.quote(lengthText) + " is not two digits");
            }
            int length = Integer.parseInt(lengthText);
            if (length == 0) {
                throw new QrFormatException(Reason.BAD_VALUE, path, offset,
                        where(path, offset) + ": length 00, a value has at least one character");
            }
            if (length > left - 4) {
                String size = parent == null
                        ? "(payload has " + cps.length + " characters)"
                        : "of template " + parent.path + " (its value has " + (end - from) + " characters)";
                throw new QrFormatException(Reason.LENGTH_OVERRUN, path, offset,
                        where(path, offset) + ": length " + lengthText + " runs past the end " + size);
            }
            Tlv first = seen.get(id);
            if (first != null) {
                throw new QrFormatException(Reason.DUPLICATE_TAG, path, offset,
                        where(path, offset) + ": tag " + id + " appears twice (first at offset " + first.offset
                                + ")");
            }
            Tlv tlv = new Tlv(id, path, offset, offset + 4, text(cps, offset + 4, length));
            seen.put(id, tlv);
            out.add(tlv);
            offset += 4 + length;
        }
        return out;
    }

    private static void checkFormatIndicator(List<Tlv> top) {
        Tlv indicator = find(top, FORMAT_INDICATOR);
        if (indicator == null) {
            throw missing(FORMAT_INDICATOR, "payload format indicator");
        }
        if (indicator != top.get(0)) {
            throw new QrFormatException(Reason.FORMAT_INDICATOR_NOT_FIRST, indicator.path, indicator.offset,
                    indicator.where() + ": the payload format indicator must be the first tag, but tag "
                            + top.get(0).id + " comes first");
        }
        if (!indicator.value.equals("01")) {
            throw new QrFormatException(Reason.UNSUPPORTED_VERSION, indicator.path, indicator.offset,
                    indicator.where() + ": payload format indicator " + Chars.quote(indicator.value)
                            + " is not supported, only '01' is");
        }
    }

    private static Tlv checkCrc(int[] cps, List<Tlv> top) {
        Tlv crc = find(top, CRC);
        if (crc == null) {
            throw missing(CRC, "CRC");
        }
        int index = top.indexOf(crc);
        if (index != top.size() - 1) {
            Tlv next = top.get(index + 1);
            throw new QrFormatException(Reason.CRC_NOT_LAST, crc.path, crc.offset,
                    crc.where() + ": the CRC must be the last tag, but tag " + next.id + " follows at offset "
                            + next.offset);
        }
        if (crc.length() != 4) {
            throw new QrFormatException(Reason.BAD_CRC, crc.path, crc.offset,
                    crc.where() + ": length " + twoDigits(crc.length()) + ", a CRC has 4 characters");
        }
        if (!isUpperHex(crc.value)) {
            throw new QrFormatException(Reason.BAD_CRC, crc.path, crc.offset,
                    crc.where() + ": CRC " + Chars.quote(crc.value) + " is not four upper-case hex digits");
        }
        // Everything up to and including "6304", as UTF-8 (which is ASCII unless tag 64 holds other scripts).
        String covered = text(cps, 0, crc.valueOffset);
        String expected = Crc16.hex(Crc16.ccittFalse(covered.getBytes(UTF_8)));
        if (!expected.equals(crc.value)) {
            throw new QrFormatException(Reason.BAD_CRC, crc.path, crc.offset,
                    crc.where() + ": CRC " + crc.value + " does not match the payload, whose CRC is " + expected);
        }
        return crc;
    }

    // ---- values ----------------------------------------------------------------------------------------------

    private static void checkValue(Tlv tlv) {
        int n = Integer.parseInt(tlv.id);
        switch (tlv.id) {
            case FORMAT_INDICATOR:
                return; // checked first
            case POINT_OF_INITIATION:
                if (!tlv.value.equals(STATIC) && !tlv.value.equals(DYNAMIC)) {
                    throw badValue(tlv, "point of initiation method " + Chars.quote(tlv.value)
                            + " must be 11 (static) or 12 (dynamic)");
                }
                return;
            case CATEGORY_CODE:
                requireDigits(tlv, "merchant category code", 4);
                return;
            case CURRENCY:
                requireDigits(tlv, "currency code", 3);
                return;
            case AMOUNT:
                checkAmountValue(tlv);
                return;
            case COUNTRY:
                if (!tlv.value.matches("[A-Z]{2}")) {
                    throw badValue(tlv, "country code " + Chars.quote(tlv.value) + " is not two upper-case letters");
                }
                return;
            case NAME:
                requireAns(tlv, "merchant name", 25);
                return;
            case CITY:
                requireAns(tlv, "merchant city", 15);
                return;
            case POSTAL_CODE:
                requireAns(tlv, "postal code", 10);
                return;
            case ADDITIONAL_DATA:
                checkAdditionalData(tlv);
                return;
            case LANGUAGE_TEMPLATE:
                checkLanguageTemplate(tlv);
                return;
            default:
                if ((n >= 26 && n <= 51) || n >= 80) {
                    checkAccountTemplate(tlv);
                } else {
                    requireAns(tlv, "value", QrField.MAX_VALUE_LENGTH);
                }
        }
    }

    private static void checkAmountValue(Tlv tlv) {
        if (!Chars.isDigits(tlv.value)) {
            throw badValue(tlv, "amount " + Chars.quote(tlv.value) + " must be digits only (whole yen, no decimals)");
        }
        if (tlv.length() > 13) {
            throw badValue(tlv, "amount has " + tlv.length() + " digits, at most 13");
        }
        if (tlv.value.chars().allMatch(c -> c == '0')) {
            throw badValue(tlv, "amount must be more than 0: " + Chars.quote(tlv.value));
        }
    }

    /** Tags 26–51 and 80–99: sub-field 00 is the scheme's globally unique id, the rest is the scheme's own. */
    private static void checkAccountTemplate(Tlv template) {
        Tlv guid = template.child("00");
        if (guid == null) {
            throw missingSubField(template, "00", "globally unique identifier");
        }
        for (Tlv child : template.children) {
            requireAns(child, child == guid ? "globally unique identifier" : "value",
                    child == guid ? 32 : QrField.MAX_VALUE_LENGTH);
        }
    }

    /** Tag 62: 01–08 are labels (bill number, …, reference label 05, terminal label 07), 09 a request code. */
    private static void checkAdditionalData(Tlv template) {
        for (Tlv child : template.children) {
            int n = Integer.parseInt(child.id);
            if (n >= 1 && n <= 8) {
                requireAns(child, additionalDataName(n), 25);
            } else if (n == 9) {
                requireAns(child, "additional consumer data request", 3);
            } else {
                requireAns(child, "value", QrField.MAX_VALUE_LENGTH);
            }
        }
    }

    private static String additionalDataName(int id) {
        switch (id) {
            case 1:
                return "bill number";
            case 2:
                return "mobile number";
            case 3:
                return "store label";
            case 4:
                return "loyalty number";
            case 5:
                return "reference label";
            case 6:
                return "customer label";
            case 7:
                return "terminal label";
            default:
                return "purpose of transaction";
        }
    }

    /** Tag 64: 00 language (ISO 639-1), 01 name and 02 city in that language: the only non-ASCII values allowed. */
    private static void checkLanguageTemplate(Tlv template) {
        Tlv language = template.child("00");
        if (language == null) {
            throw missingSubField(template, "00", "language preference");
        }
        if (template.child("01") == null) {
            throw missingSubField(template, "01", "merchant name in that language");
        }
        for (Tlv child : template.children) {
            switch (child.id) {
                case "00":
                    if (!child.value.matches("[a-z]{2}")) {
                        throw badValue(child, "language preference " + Chars.quote(child.value)
                                + " is not two lower-case letters (ISO 639-1)");
                    }
                    break;
                case "01":
                    requireText(child, "merchant name", 25);
                    break;
                case "02":
                    requireText(child, "merchant city", 15);
                    break;
                default:
                    requireAns(child, "value", QrField.MAX_VALUE_LENGTH);
            }
        }
    }

    private static void requireDigits(Tlv tlv, String what, int digits) {
        if (tlv.length() != digits || !Chars.isDigits(tlv.value)) {
            throw badValue(tlv, what + " " + Chars.quote(tlv.value) + " is not " + digits + " digits");
        }
    }

    private static void requireAns(Tlv tlv, String what, int max) {
        requireMaxLength(tlv, what, max);
        int bad = Chars.firstNotAns(tlv.value);
        if (bad >= 0) {
            throw badValue(tlv, "character " + Chars.describe(Chars.codePointAt(tlv.value, bad)) + " at offset "
                    + (tlv.valueOffset + bad) + " is not printable ASCII");
        }
    }

    private static void requireText(Tlv tlv, String what, int max) {
        requireMaxLength(tlv, what, max);
        int bad = Chars.firstNotText(tlv.value);
        if (bad >= 0) {
            throw badValue(tlv, "character " + Chars.describe(Chars.codePointAt(tlv.value, bad)) + " at offset "
                    + (tlv.valueOffset + bad) + " is a control character or a lone surrogate");
        }
    }

    private static void requireMaxLength(Tlv tlv, String what, int max) {
        if (tlv.length() > max) {
            throw badValue(tlv, what + " has " + tlv.length() + " characters, at most " + max);
        }
    }

    // ---- presence --------------------------------------------------------------------------------------------

    private static void checkMandatory(List<Tlv> top) {
        requirePresent(top, POINT_OF_INITIATION, "point of initiation method");
        boolean hasAccount = false;
        for (Tlv tlv : top) {
            int n = Integer.parseInt(tlv.id);
            hasAccount |= n >= 2 && n <= 51;
        }
        if (!hasAccount) {
            throw new QrFormatException(Reason.MISSING_TAG, null, 0,
                    "payload has no merchant account information (a tag from 02 to 51)");
        }
        requirePresent(top, CATEGORY_CODE, "merchant category code");
        requirePresent(top, CURRENCY, "transaction currency");
        requirePresent(top, COUNTRY, "country code");
        requirePresent(top, NAME, "merchant name");
        requirePresent(top, CITY, "merchant city");
    }

    private static void checkAmount(List<Tlv> top) {
        Tlv amount = find(top, AMOUNT);
        boolean dynamic = find(top, POINT_OF_INITIATION).value.equals(DYNAMIC);
        if (dynamic && amount == null) {
            throw new QrFormatException(Reason.MISSING_TAG, AMOUNT, 0,
                    "payload has no tag 54 (transaction amount), which a dynamic code (tag 01 = 12) needs");
        }
        if (!dynamic && amount != null) {
            throw new QrFormatException(Reason.UNEXPECTED_TAG, AMOUNT, amount.offset,
                    amount.where() + ": a static code (tag 01 = 11) carries no amount");
        }
    }

    private static void requirePresent(List<Tlv> top, String id, String what) {
        if (find(top, id) == null) {
            throw missing(id, what);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static QrFormatException missing(String id, String what) {
        return new QrFormatException(Reason.MISSING_TAG, id, 0, "payload has no tag " + id + " (" + what + ")");
    }

    private static QrFormatException missingSubField(Tlv template, String id, String what) {
        return new QrFormatException(Reason.MISSING_TAG, template.path + "." + id, template.offset,
                template.where() + ": template has no sub-field " + id + " (" + what + ")");
    }

    private static QrFormatException badValue(Tlv tlv, String detail) {
        return new QrFormatException(Reason.BAD_VALUE, tlv.path, tlv.offset, tlv.where() + ": " + detail);
    }

    private static String where(String path, int offset) {
        return "tag " + path + " at offset " + offset;
    }

    private static Tlv find(List<Tlv> tlvs, String id) {
        for (Tlv tlv : tlvs) {
            if (tlv.id.equals(id)) {
                return tlv;
            }
        }
        return null;
    }

    private static String text(int[] cps, int offset, int count) {
        return new String(cps, offset, count);
    }

    private static String twoDigits(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    private static boolean isUpperHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
