package jp.yui.merchant;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One field of an EMVCo merchant-presented payload: a two-digit id and a value, encoded as
 * {@code id ‖ two-digit length ‖ value}. A field is either primitive (a string value) or a template whose value is
 * itself a sequence of primitive sub-fields. Templates are the fields with ids 26–51 (merchant account
 * information), 62 (additional data), 64 (merchant information in another language) and 80–99 (unreserved
 * templates); {@link QrPayload} holds those as templates and every other top-level field as primitive.
 *
 * <p>Lengths count characters, meaning Unicode code points: {@code ゆいカフェ} is 5 (15 UTF-8 bytes), and {@code 𠮷}
 * is 1 (2 UTF-16 units, 4 UTF-8 bytes). A value holds 1 to 99 characters.
 *
 * <p>This class checks only the TLV shape; the rules of each tag (which characters, which sub-fields) are checked
 * by {@link QrPayload#of(List)} and {@link QrPayload#parse(String)}. Immutable and thread-safe.
 */
public final class QrField {

    /** The most characters one value holds: lengths are two digits. */
    public static final int MAX_VALUE_LENGTH = 99;

    private final String id;
    private final String value;
    private final List<QrField> subFields;

    private QrField(String id, String value, List<QrField> subFields) {
        this.id = id;
        this.value = value;
        this.subFields = subFields;
    }

    /**
     * A primitive field.
     *
     * @param id    two digits, {@code "00"} to {@code "99"}
     * @param value 1 to 99 characters (code points)
     * @return the field
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code id} is not two digits or {@code value} is empty or longer than 99
     *                                  characters
     */
    public static QrField of(String id, String value) {
        requireId(id);
        Objects.requireNonNull(value, "value");
        int length = value.codePointCount(0, value.length());
        if (length < 1 || length > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException(
                    "value of tag " + id + " must have 1 to " + MAX_VALUE_LENGTH + " characters, has " + length);
        }
        return new QrField(id, value, List.of());
    }

    /**
     * A template: its value is its sub-fields' encodings, in the order given.
     *
     * @param id        two digits
     * @param subFields at least one primitive field; their ids must be distinct to pass {@link QrPayload}'s checks
     * @return the template
     * @throws NullPointerException     if an argument or sub-field is null
     * @throws IllegalArgumentException if {@code id} is not two digits, there are no sub-fields, a sub-field is
     *                                  itself a template, or the encoded sub-fields exceed 99 characters
     */
    public static QrField template(String id, List<QrField> subFields) {
        requireId(id);
        Objects.requireNonNull(subFields, "subFields");
        if (subFields.isEmpty()) {
            throw new IllegalArgumentException("template " + id + " needs at least one sub-field");
        }
        List<QrField> copy = new ArrayList<>(subFields.size());
        StringBuilder value = new StringBuilder();
        for (QrField sub : subFields) {
            Objects.requireNonNull(sub, "subFields contains null");
            if (sub.isTemplate()) {
                throw new IllegalArgumentException(
                        "template " + id + ": sub-field " + sub.id + " must be primitive, not a template");
            }
            copy.add(sub);
            value.append(sub.encode());
        }
        String encoded = value.toString();
        int length = encoded.codePointCount(0, encoded.length());
        if (length > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException(
                    "template " + id + " encodes to " + length + " characters, at most " + MAX_VALUE_LENGTH);
        }
        return new QrField(id, encoded, Collections.unmodifiableList(copy));
    }

    /**
     * @see #template(String, List)
     */
    public static QrField template(String id, QrField... subFields) {
        Objects.requireNonNull(subFields, "subFields");
        return template(id, List.of(subFields));
    }

    /** @return the two-digit id */
    public String id() {
        return id;
    }

    /** @return the value; for a template, its sub-fields encoded */
    public String value() {
        return value;
    }

    /** @return whether this field is a template */
    public boolean isTemplate() {
        return !subFields.isEmpty();
    }

    /** @return a template's sub-fields in order; empty for a primitive field */
    public List<QrField> subFields() {
        return subFields;
    }

    /**
     * @param id a sub-field's id
     * @return the sub-field with that id, if this is a template holding one
     */
    public Optional<QrField> subField(String id) {
        Objects.requireNonNull(id, "id");
        for (QrField sub : subFields) {
            if (sub.id.equals(id)) {
                return Optional.of(sub);
            }
        }
        return Optional.empty();
    }

    /** @return the value's length in characters (code points), 1 to 99 */
    public int length() {
        return value.codePointCount(0, value.length());
    }

    /** @return {@code id ‖ two-digit length ‖ value} */
    public String encode() {
        int length = length();
        return id + (length < 10 ? "0" : "") + length + value;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof QrField)) {
            return false;
        }
        QrField that = (QrField) other;
        return id.equals(that.id) && value.equals(that.value) && subFields.equals(that.subFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, value, subFields);
    }

    /** @return the encoding, for example {@code 5303392} */
    @Override
    public String toString() {
        return encode();
    }

    private static void requireId(String id) {
        Objects.requireNonNull(id, "id");
        if (id.length() != 2 || !isDigit(id.charAt(0)) || !isDigit(id.charAt(1))) {
            throw new IllegalArgumentException("id must be two digits: '" + id + "'");
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
