package jp.yui.ledger;

import java.util.List;

/**
 * What {@link Ledger#verify(long)} found.
 *
 * @param regionId  the region checked
 * @param transfers how many journal transfers were re-hashed
 * @param batches   how many batches the hash chain covers
 * @param problems  each broken invariant, in words; empty when all holds
 */
public record VerificationReport(long regionId, long transfers, long batches, List<String> problems) {
    public VerificationReport {
        problems = List.copyOf(problems);
    }

    /** Whether every invariant holds. */
    public boolean ok() {
        return problems.isEmpty();
    }
}
