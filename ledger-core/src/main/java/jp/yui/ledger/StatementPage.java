package jp.yui.ledger;

import java.util.List;

/**
 * A page of a statement.
 *
 * @param entries    lines in journal order
 * @param nextCursor pass as {@code afterSeq} to read the next page, or {@code null} if this is the last
 */
public record StatementPage(List<StatementEntry> entries, Long nextCursor) {
    public StatementPage {
        entries = List.copyOf(entries);
    }
}
