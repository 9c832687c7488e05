package jp.yui.merchant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads one JSON object of a response into the SDK's value classes, by hand through Jackson's tree model: no data
 * binding, so nothing depends on reflection or annotations (Android), and no Jackson type reaches the API.
 *
 * <p>Lenient where a newer server may add things (unknown fields are ignored, unknown enum names become
 * {@code UNKNOWN}), strict where the SDK would otherwise guess (a missing id or amount, a fractional amount): those
 * throw {@link MerchantException} naming the field's path, e.g. {@code Payment.legs[1].amount}.
 */
final class Json {

    /** Thread-safe once configured; only its tree model is used. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode node;
    private final String path;

    private Json(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /**
     * @param text a JSON document whose top level is an object
     * @param what the name of the object, for messages, e.g. {@code Payment}
     * @throws MerchantException if the text is not JSON or not an object
     */
    static Json parse(String text, String what) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MerchantException("cannot read " + what + ": not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new MerchantException("cannot read " + what + ": not a JSON object");
        }
        return new Json(root, what);
    }

    /** @return an empty object to fill as a request body */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** @return the object's JSON text */
    static String write(ObjectNode body) {
        return body.toString();
    }

    /** @return the object {@code field}; messages name its fields by their path, e.g. {@code Refund.payment.amount} */
    Json object(String field) {
        JsonNode value = require(field);
        if (!value.isObject()) {
            throw wrong(field, "not an object");
        }
        return new Json(value, path + "." + field);
    }

    /** @return whether the field is present and not null */
    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    String text(String field) {
        JsonNode value = require(field);
        if (!value.isTextual()) {
            throw wrong(field, "not a string: " + value);
        }
        return value.textValue();
    }

    Optional<String> optionalText(String field) {
        return has(field) ? Optional.of(text(field)) : Optional.empty();
    }

    /** @return a whole number that fits a {@code long}; {@code 500}, not {@code 500.0} or {@code "500"} */
    long integer(String field) {
        JsonNode value = require(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrong(field, "not a whole number: " + value);
        }
        return value.longValue();
    }

    /** @return a whole number that fits an {@code int} */
    int int32(String field) {
        long value = integer(field);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw wrong(field, "out of range for an int: " + value);
        }
        return (int) value;
    }

    /** @return the bytes of a standard base64 string (RFC 4648 §4, padding optional) */
    byte[] base64(String field) {
        String text = text(field);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw wrong(field, "not base64: " + e.getMessage());
        }
    }

    /**
     * @return {@link MerchantException} for a value that was read but makes no sense here (a key of the wrong length),
     *     with the same path in its message as the checks of this class give
     */
    MerchantException invalid(String field, String why) {
        return wrong(field, why);
    }

    UUID uuid(String field) {
        String text = text(field);
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw wrong(field, "not a UUID: \"" + text + "\"");
        }
    }

    Optional<UUID> optionalUuid(String field) {
        return has(field) ? Optional.of(uuid(field)) : Optional.empty();
    }

    /** @return an ISO-8601 time with an offset ({@code Z} or {@code +09:00}) */
    Instant instant(String field) {
        String text = text(field);
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            throw wrong(field, "not an ISO-8601 time: \"" + text + "\"");
        }
    }

    Optional<Instant> optionalInstant(String field) {
        return has(field) ? Optional.of(instant(field)) : Optional.empty();
    }

    LocalDate date(String field) {
        String text = text(field);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw wrong(field, "not an ISO-8601 date: \"" + text + "\"");
        }
    }

    /**
     * @return the constant named by the field, or {@code unknown} for a name this SDK does not know, so that an older
     *     SDK keeps working when the server adds a status or method
     */
    <E extends Enum<E>> E enumValue(String field, Class<E> type, E unknown) {
        String text = text(field);
        for (E constant : type.getEnumConstants()) {
            if (constant != unknown && constant.name().equals(text)) {
                return constant;
            }
        }
        return unknown;
    }

    /** @return the array {@code field}, each element an object read by {@code item}; missing or null is empty */
    <T> List<T> list(String field, Function<Json, T> item) {
        if (!has(field)) {
            return List.of();
        }
        JsonNode value = node.get(field);
        if (!value.isArray()) {
            throw wrong(field, "not an array");
        }
        List<T> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            String elementPath = path + "." + field + "[" + i + "]";
            if (!element.isObject()) {
                throw new MerchantException("cannot read " + elementPath + ": not an object");
            }
            out.add(item.apply(new Json(element, elementPath)));
        }
        return Collections.unmodifiableList(out);
    }

    /** @return the field's value written back as compact JSON text (same values, whitespace dropped); null if absent */
    String raw(String field) {
        return has(field) ? node.get(field).toString() : null;
    }

    private JsonNode require(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new MerchantException("cannot read " + path + "." + field + ": missing");
        }
        return value;
    }

    private MerchantException wrong(String field, String what) {
        return new MerchantException("cannot read " + path + "." + field + ": " + what);
    }
}
