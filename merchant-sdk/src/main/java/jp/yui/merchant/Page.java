package jp.yui.merchant;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a list the server answers in pages, newest first. Pass {@link #nextCursor()} back to get the next page;
 * the cursor is opaque. Immutable, value-based.
 *
 * @param <T> what the list holds
 */
public final class Page<T> {

    private final List<T> items;
    private final String nextCursor;

    private Page(List<T> items, String nextCursor) {
        this.items = items;
        this.nextCursor = nextCursor;
    }

    static <T> Page<T> from(Json json, Function<Json, T> item) {
        return new Page<>(json.list("items", item), json.optionalText("nextCursor").orElse(null));
    }

    /** @return this page's items; unmodifiable, possibly empty */
    public List<T> items() {
        return items;
    }

    /** @return the cursor of the next page, or empty if this is the last */
    public Optional<String> nextCursor() {
        return Optional.ofNullable(nextCursor);
    }

    /** @return whether there is a next page */
    public boolean hasMore() {
        return nextCursor != null;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Page)) {
            return false;
        }
        Page<?> that = (Page<?>) other;
        return items.equals(that.items) && Objects.equals(nextCursor, that.nextCursor);
    }

    @Override
    public int hashCode() {
        return Objects.hash(items, nextCursor);
    }

    @Override
    public String toString() {
        return "Page[" + items.size() + " items, next " + nextCursor + "]";
    }
}
