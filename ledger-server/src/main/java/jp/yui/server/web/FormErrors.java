package jp.yui.server.web;

import io.micronaut.core.annotation.Nullable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What was wrong with each field of one form that is shown again: a plain message in the page's language beside the
 * field, and the service's own words where it had any (which character a bank file cannot carry). Templates read
 * {@code errors.get('bankCode')}; the first error of a field is the one shown.
 */
final class FormErrors {

    /**
     * @param message what to do, in the page's language
     * @param detail  the service's own refusal, or null
     */
    record FieldError(String message, @Nullable String detail) {
        FieldError {
            Objects.requireNonNull(message, "message");
        }
    }

    private final Map<String, FieldError> byField = new LinkedHashMap<>();

    void add(String field, String message, @Nullable String detail) {
        byField.putIfAbsent(field, new FieldError(message, detail));
    }

    boolean has(String field) {
        return byField.containsKey(field);
    }

    boolean isEmpty() {
        return byField.isEmpty();
    }

    /** The errors by field, for the template. */
    Map<String, FieldError> asMap() {
        return Map.copyOf(byField);
    }

    @Override
    public String toString() {
        return "FormErrors" + byField;
    }
}
