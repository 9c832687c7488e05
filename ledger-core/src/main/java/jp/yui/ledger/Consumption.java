package jp.yui.ledger;

import java.time.Instant;
import java.util.UUID;

/** A debit's use of one lot; the lot's source and expiry ride along so a reversal can restore them. */
record Consumption(UUID transferId, long lotId, UUID accountId, long amount, String lotSource, Instant lotExpiresAt) {
}
