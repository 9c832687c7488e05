package jp.yui.server.web;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ProblemException;

/**
 * What the pages' forms send, read as the API reads its bodies: numbers as people type them, and the API's own
 * request records validated by the same constraints (so a page accepts exactly what the API accepts).
 */
@Singleton
public final class Forms {

    private final Validator validator;

    Forms(Validator validator) {
        this.validator = validator;
    }

    /**
     * Validates one of the API's request records with its constraints.
     *
     * @throws ConstraintViolationException when a constraint fails (answered 400 {@code validation}, as the API does)
     */
    public <T> T valid(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return request;
    }

    /**
     * What fails in one of the API's request records, for a form shown again with each field's error beside it.
     *
     * @return each failing property's path ({@code account.bankCode}) and the constraint's message; empty if valid
     */
    public <T> Map<String, String> invalid(T request) {
        Map<String, String> failed = new LinkedHashMap<>();
        for (ConstraintViolation<T> v : validator.validate(request)) {
            failed.merge(v.getPropertyPath().toString(), v.getMessage(), (a, b) -> a + "; " + b);
        }
        return failed;
    }

    /**
     * A percentage as a person types it ({@code 1.5}, {@code １．５％}) in basis points ({@code 150}), exactly: a
     * rate that basis points cannot hold ({@code 1.234}) is refused, never rounded.
     *
     * @return null when the field is absent or blank
     * @throws ProblemException 400 {@code validation} naming the field and the value if it is not a number with at
     *     most two decimals
     */
    public static @Nullable Integer basisPoints(String field, @Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).strip().replace("%", "").strip();
        if (!n.matches("[0-9]{1,5}(\\.[0-9]{1,2})?")) {
            throw Problems.badRequest("validation", "Invalid request", field
                    + " must be a percentage with at most two decimals, like 1.5: " + text);
        }
        return new BigDecimal(n).movePointRight(2).intValueExact();
    }

    /** Basis points as a percentage for a form or a page: {@code 150} is {@code 1.5}, {@code 200} is {@code 2}. */
    public static String percent(int basisPoints) {
        return BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString();
    }

    /**
     * A whole number as a person types it: full-width digits (an IME's ５００), thousands separators and a yen sign or
     * "円" or "pt" around it are fine.
     *
     * @param field the field's name, for the message
     * @return null when the field is absent or blank
     * @throws ProblemException 400 {@code validation} naming the field and the value if it is not a whole number
     */
    public static @Nullable Long number(String field, @Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).strip()
                .replace(",", "").replace("¥", "").replace("円", "").replace("pt", "").replace("ポイント", "").strip();
        if (!n.matches("-?[0-9]{1,15}")) {
            throw Problems.badRequest("validation", "Invalid request", field + " must be a whole number: " + text);
        }
        return Long.parseLong(n);
    }

    /**
     * A required field.
     *
     * @throws ProblemException 400 {@code validation} naming the field if it is absent or blank
     */
    public static String required(String field, @Nullable String text) {
        if (text == null || text.isBlank()) {
            throw Problems.badRequest("validation", "Invalid request", field + " is required");
        }
        return text.strip();
    }

    /**
     * A UUID field.
     *
     * @throws ProblemException 400 {@code validation} naming the field and the value if it is not a UUID
     */
    public static UUID uuid(String field, @Nullable String text) {
        try {
            return UUID.fromString(required(field, text));
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("validation", "Invalid request", field + " must be a UUID: " + text);
        }
    }

    /** A fresh idempotency key for a form that moves value: the form carries it, so a double submit is one action. */
    public static String newKey() {
        return "web-" + UUID.randomUUID();
    }
}
