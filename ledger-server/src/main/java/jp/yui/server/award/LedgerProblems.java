package jp.yui.server.award;

import jp.yui.ledger.TransferOutcome;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ProblemException;

/** The problem a refused ledger transfer answers, naming the account that refused in words the caller knows. */
public final class LedgerProblems {
    private LedgerProblems() {
    }

    /**
     * @param fundsType the problem type when the debited account lacks funds ("budget-exhausted", "insufficient-points")
     * @param debitSide what the debited account is to the caller ("the programme's budget", "the resident's points")
     */
    public static ProblemException of(TransferOutcome o, String fundsType, String debitSide) {
        String code = o.result().name();
        switch (o.result()) {
            case INSUFFICIENT_FUNDS:
                return new ProblemException(409, Problems.BASE + fundsType, "Insufficient funds",
                        debitSide + " does not hold enough", code);
            case BALANCE_CEILING_EXCEEDED:
                return new ProblemException(409, Problems.BASE + "wallet-ceiling-exceeded", "Wallet ceiling exceeded",
                        "the wallet would hold more than the town allows", code);
            case ACCOUNT_FROZEN:
            case ACCOUNT_CLOSED:
                return new ProblemException(409, Problems.BASE + "account-frozen", "Account frozen",
                        "an account of this transfer is frozen or closed", code);
            case EXISTS_WITH_DIFFERENT_FIELDS:
                return new ProblemException(422, Problems.BASE + "idempotency-key-reused", "Idempotency key reused",
                        "a different request was made with this key before", code);
            default:
                return new ProblemException(409, Problems.BASE + "ledger-refused", "Refused by the ledger",
                        "the ledger answered " + code, code);
        }
    }
}
