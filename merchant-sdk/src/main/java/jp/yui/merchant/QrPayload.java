package jp.yui.merchant;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An EMVCo merchant-presented QR payload (MPM), the format JPQR's shop-presented codes follow: an ordered list of
 * TLV fields ({@link QrField}) ending in a CRC. Every instance is valid: {@link #parse(String)} and
 * {@link #of(List)} refuse anything that breaks the rules below, and {@link #encode()} adds the CRC.
 *
 * <p>Rules (EMVCo MPM, narrowed where Yui needs it):
 * <ul>
 *   <li>TLV: two-digit id, two-digit length (01–99), value; no id twice at top level or within one template;
 *       the whole payload at most 512 characters.</li>
 *   <li>Tag 00 (payload format indicator) first, and {@code 01}; tag 63 (CRC) last: CRC-16/CCITT-FALSE over
 *       everything up to and including {@code 6304}, four upper-case hex digits.</li>
 *   <li>Mandatory: 00, 01 ({@code 11} static, {@code 12} dynamic), merchant account information (02–51; the
 *       templates 26–51 need sub-field 00, a globally unique id), 52 (four digits), 53 (three digits),
 *       58 (two upper-case letters), 59 (at most 25 characters), 60 (at most 15), 63.</li>
 *   <li>Tag 54 (amount) in every dynamic code and in no static one; digits only (whole yen, no decimals), 1 to 13
 *       of them, more than zero.</li>
 *   <li>Tag 62 (additional data): labels 01–08 (reference label 05, terminal label 07) at most 25 characters.
 *       Tag 64 (language template): 00 language (two lower-case letters), 01 name (at most 25), 02 city (at most
 *       15). Tags 80–99 are templates with a sub-field 00, as EMVCo defines them.</li>
 *   <li>Values are printable ASCII, except 64's name and city, which may be any characters but controls.</li>
 * </ul>
 *
 * <p><b>Lengths count characters</b> (Unicode code points), as EMVCo defines them, not UTF-8 bytes: a Japanese
 * name {@code ゆいカフェ} in tag 64 is {@code 0105ゆいカフェ} (5 characters, 15 bytes), and a character outside the
 * Basic Multilingual Plane such as {@code 𠮷} counts once. Offsets in {@link QrFormatException} count the same
 * way. The CRC covers the payload's UTF-8 bytes (identical to its ASCII when all of it is ASCII). A wallet that
 * counts bytes will disagree on the length of a non-ASCII tag 64; Yui's own wallet uses this codec.
 *
 * <p>Value-based: equal fields, equal payloads. Immutable and thread-safe.
 */
public final class QrPayload {

    private final List<QrField> fields;
    private final String encoded;

    private QrPayload(List<QrField> fields, String encoded) {
        this.fields = Collections.unmodifiableList(fields);
        this.encoded = encoded;
    }

    /**
     * Reads a payload, checking every rule in the class comment.
     *
     * @param payload the text a QR code holds
     * @return the payload; {@code parse(s).encode()} equals {@code s}
     * @throws NullPointerException if {@code payload} is null
     * @throws QrFormatException    if it breaks a rule: the first problem found, with its reason, tag and offset
     */
    public static QrPayload parse(String payload) {
        List<QrField> fields = MpmCodec.decode(payload);
        return new QrPayload(fields, payload);
    }

    /**
     * A payload of these fields in this order, followed by the CRC. Fields with template ids (26–51, 62, 64,
     * 80–99) may be given as templates or as primitive fields holding their encoded sub-fields; the payload holds
     * them as templates either way.
     *
     * @param fields the fields, without tag 63
     * @return the payload
     * @throws NullPointerException     if {@code fields} or one of them is null
     * @throws IllegalArgumentException if a field is tag 63, a template has an id that is not a template's, or the
     *                                  payload breaks a rule (the message is the {@link QrFormatException}'s,
     *                                  which is the cause, with offsets into {@link #encode()})
     */
    public static QrPayload of(List<QrField> fields) {
        Objects.requireNonNull(fields, "fields");
        for (QrField field : fields) {
            Objects.requireNonNull(field, "fields contains null");
            if (field.id().equals(MpmCodec.CRC)) {
                throw new IllegalArgumentException("fields must not include tag 63: encode() adds the CRC");
            }
            if (field.isTemplate() && !MpmCodec.isTemplateId(field.id())) {
                throw new IllegalArgumentException("tag " + field.id() + " is not a template: " + field);
            }
        }
        String encoded = MpmCodec.encode(fields);
        try {
            // The encoding is what a wallet reads, so the rules are checked on it: one set of rules, one set of
            // messages, and templates given as primitive fields come back as templates.
            return new QrPayload(MpmCodec.decode(encoded), encoded);
        } catch (QrFormatException e) {
            throw new IllegalArgumentException("not a valid payload: " + e.getMessage(), e);
        }
    }

    /**
     * @see #of(List)
     */
    public static QrPayload of(QrField... fields) {
        Objects.requireNonNull(fields, "fields");
        return of(List.of(fields));
    }

    /**
     * The code a shop prints: static (tag 01 = 11), no amount; the resident types it.
     *
     * <p>Fields: 00 {@code 01}, 01 {@code 11}, the merchant account template (00 {@value
     * QrMerchant#YUI_GLOBALLY_UNIQUE_ID}, 01 merchant id), 52 category code, 53 {@code 392} (yen), 58 {@code JP},
     * 59 name, 60 city, 64 (00 {@code ja}, 01 Japanese name) if the merchant has one, 63 CRC.
     *
     * @param merchant the shop
     * @return the payload
     * @throws NullPointerException if {@code merchant} is null
     */
    public static QrPayload staticCode(QrMerchant merchant) {
        Objects.requireNonNull(merchant, "merchant");
        return build(merchant, 0, null, null);
    }

    /**
     * A code for one payment: dynamic (tag 01 = 12), with the amount in tag 54 and, in tag 62 sub-field 05, an opaque
     * single-use reference to the payment intent that the server holds. The reference is all a wallet needs; the
     * code proves nothing by itself (its only check is the CRC), so the server trusts the intent, not the code.
     *
     * @param merchant  the shop
     * @param amountYen the amount in yen, 1 to 9,999,999,999,999 (13 digits)
     * @param reference the payment intent's reference: 1 to 25 printable ASCII characters
     * @return the payload: the fields of {@link #staticCode(QrMerchant)}, with 01 {@code 12}, 54 after 53 and 62
     *     after 60
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code amountYen} or {@code reference} breaks the rule above
     */
    public static QrPayload dynamicCode(QrMerchant merchant, long amountYen, String reference) {
        Objects.requireNonNull(merchant, "merchant");
        requireAmount(amountYen);
        Chars.requireAns("reference", reference, 25);
        return build(merchant, amountYen, reference, null);
    }

    /**
     * {@link #dynamicCode(QrMerchant, long, String)} with a terminal label (tag 62 sub-field 07) naming the till.
     *
     * @param terminalLabel the till: 1 to 25 printable ASCII characters
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code amountYen}, {@code reference} or {@code terminalLabel} is out of
     *                                  range
     */
    public static QrPayload dynamicCode(QrMerchant merchant, long amountYen, String reference,
                                        String terminalLabel) {
        Objects.requireNonNull(merchant, "merchant");
        requireAmount(amountYen);
        Chars.requireAns("reference", reference, 25);
        Chars.requireAns("terminalLabel", terminalLabel, 25);
        return build(merchant, amountYen, reference, terminalLabel);
    }

    private static void requireAmount(long amountYen) {
        if (amountYen < 1 || amountYen > 9_999_999_999_999L) {
            throw new IllegalArgumentException("amountYen must be 1 to 9999999999999: " + amountYen);
        }
    }

    /** @param amountYen 0 for a static code */
    private static QrPayload build(QrMerchant merchant, long amountYen, String reference, String terminalLabel) {
        boolean dynamic = amountYen > 0;
        List<QrField> fields = new ArrayList<>();
        fields.add(QrField.of(MpmCodec.FORMAT_INDICATOR, "01"));
        fields.add(QrField.of(MpmCodec.POINT_OF_INITIATION, dynamic ? MpmCodec.DYNAMIC : MpmCodec.STATIC));
        fields.add(QrField.template(merchant.templateId(),
                QrField.of("00", QrMerchant.YUI_GLOBALLY_UNIQUE_ID),
                QrField.of("01", merchant.merchantId())));
        fields.add(QrField.of(MpmCodec.CATEGORY_CODE, merchant.categoryCode()));
        fields.add(QrField.of(MpmCodec.CURRENCY, "392"));
        if (dynamic) {
            fields.add(QrField.of(MpmCodec.AMOUNT, Long.toString(amountYen)));
        }
        fields.add(QrField.of(MpmCodec.COUNTRY, "JP"));
        fields.add(QrField.of(MpmCodec.NAME, merchant.name()));
        fields.add(QrField.of(MpmCodec.CITY, merchant.city()));
        if (dynamic) {
            List<QrField> data = new ArrayList<>();
            data.add(QrField.of("05", reference));
            if (terminalLabel != null) {
                data.add(QrField.of("07", terminalLabel));
            }
            fields.add(QrField.template(MpmCodec.ADDITIONAL_DATA, data));
        }
        merchant.japaneseName().ifPresent(name -> fields.add(QrField.template(MpmCodec.LANGUAGE_TEMPLATE,
                QrField.of("00", "ja"), QrField.of("01", name))));
        return of(fields);
    }

    /** @return the fields in payload order, without tag 63 (the CRC, which {@link #encode()} computes) */
    public List<QrField> fields() {
        return fields;
    }

    /**
     * @param id a top-level id, e.g. {@code "59"}
     * @return the field with that id, if present; never tag 63
     */
    public Optional<QrField> field(String id) {
        Objects.requireNonNull(id, "id");
        for (QrField field : fields) {
            if (field.id().equals(id)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    /** @return whether this is a dynamic code (tag 01 = 12), one for a single payment with its amount */
    public boolean isDynamic() {
        return value(MpmCodec.POINT_OF_INITIATION).equals(MpmCodec.DYNAMIC);
    }

    /**
     * @return the amount of tag 54 in whole units of the currency of tag 53 (yen for {@code 392}); present exactly
     *     when {@link #isDynamic()}
     */
    public OptionalLong amount() {
        Optional<QrField> amount = field(MpmCodec.AMOUNT);
        return amount.isPresent() ? OptionalLong.of(Long.parseLong(amount.get().value())) : OptionalLong.empty();
    }

    /** @return tag 52, four digits */
    public String merchantCategoryCode() {
        return value(MpmCodec.CATEGORY_CODE);
    }

    /** @return tag 53, the ISO 4217 numeric currency code ({@code 392} for yen) */
    public String currencyCode() {
        return value(MpmCodec.CURRENCY);
    }

    /** @return tag 58, the ISO 3166 country code */
    public String countryCode() {
        return value(MpmCodec.COUNTRY);
    }

    /** @return tag 59, the merchant's name in ASCII */
    public String merchantName() {
        return value(MpmCodec.NAME);
    }

    /** @return tag 60, the merchant's city in ASCII */
    public String merchantCity() {
        return value(MpmCodec.CITY);
    }

    /**
     * @param globallyUniqueId a scheme's id, e.g. {@link QrMerchant#YUI_GLOBALLY_UNIQUE_ID}
     * @return sub-field 01 of the first merchant account template (26–51) whose sub-field 00 is that id, if any
     */
    public Optional<String> merchantId(String globallyUniqueId) {
        Objects.requireNonNull(globallyUniqueId, "globallyUniqueId");
        for (QrField field : fields) {
            int id = Integer.parseInt(field.id());
            if (id >= 26 && id <= 51 && field.subField("00").map(QrField::value).orElse("").equals(globallyUniqueId)) {
                return field.subField("01").map(QrField::value);
            }
        }
        return Optional.empty();
    }

    /** @return tag 62 sub-field 05, the reference label (Yui: the payment intent's single-use reference) */
    public Optional<String> referenceLabel() {
        return subValue(MpmCodec.ADDITIONAL_DATA, "05");
    }

    /** @return tag 62 sub-field 07, the terminal label */
    public Optional<String> terminalLabel() {
        return subValue(MpmCodec.ADDITIONAL_DATA, "07");
    }

    /** @return tag 64 sub-field 01, the merchant's name in the language of sub-field 00 (Yui: Japanese) */
    public Optional<String> alternateName() {
        return subValue(MpmCodec.LANGUAGE_TEMPLATE, "01");
    }

    /** @return the payload a QR code holds: the fields' encodings and the CRC in tag 63 */
    public String encode() {
        return encoded;
    }

    private String value(String id) {
        // Mandatory tags: present in every instance.
        return field(id).orElseThrow().value();
    }

    private Optional<String> subValue(String templateId, String subId) {
        return field(templateId).flatMap(template -> template.subField(subId)).map(QrField::value);
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof QrPayload && fields.equals(((QrPayload) other).fields));
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    /** @return the encoded payload */
    @Override
    public String toString() {
        return encoded;
    }
}
