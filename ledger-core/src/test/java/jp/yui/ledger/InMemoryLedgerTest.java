package jp.yui.ledger;

import java.time.Clock;

/** The contract, held by the reference model. */
class InMemoryLedgerTest extends LedgerContract {
    @Override
    Ledger newLedger(Clock clock) {
        return InMemoryLedger.create(clock);
    }
}
