package jp.yui.server.report;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The JSON bodies of the finance reports. Every report names its region, echoes its parameters (the business dates
 * asked for and the instants they mean in the town's zone), says when it was generated, and carries its lines and
 * totals. Amounts are whole units of their asset ({@code long}; 1 unit of the currency is ¥1); nothing is mixed
 * across assets, so totals are per asset.
 */
public final class ReportApi {
    private ReportApi() {
    }

    /** The town a report is about. */
    @Serdeable
    public record Region(long regionId, String name, String zone) {
    }

    /**
     * A report at the end of a business day.
     *
     * @param date the business day
     * @param at   its end: the first instant of the next day in the town's zone; what was stamped before it counts
     */
    @Serdeable
    public record AtDate(LocalDate date, Instant at) {
    }

    /**
     * A report over whole business days.
     *
     * @param from  the first day
     * @param to    the last day (included)
     * @param start the first instant of {@code from}
     * @param end   the first instant after {@code to}
     */
    @Serdeable
    public record InPeriod(LocalDate from, LocalDate to, Instant start, Instant end) {
    }

    // --- trial balance ---

    /** Posted debits, credits and balances of every account of the region at the end of a day, per asset. */
    @Serdeable
    public record TrialBalance(Region region, AtDate parameters, Instant generatedAt, List<TrialBalanceLine> lines,
            List<DebitsCredits> totals) {
    }

    /**
     * One chart account, or every account of one kind together.
     *
     * @param account    the account's purpose in the chart ({@code BANK}, {@code CASH}, …, {@code BREAKAGE}) or the
     *                   kind summed up ({@code WALLET}, {@code SHOP}, {@code PROGRAMME_BUDGET}, {@code CAMPAIGN_BUDGET},
     *                   {@code OTHER})
     * @param accountId  the chart account; null on a summed-up line
     * @param normalSide {@code DEBIT} or {@code CREDIT}: the side the balance grows on
     * @param accounts   on a summed-up line, the accounts of that kind that had moved by then; 1 for a chart account
     * @param balance    debits less credits for a debit-normal line, credits less debits for a credit-normal one
     */
    @Serdeable
    public record TrialBalanceLine(String assetCode, String account, @Nullable UUID accountId, String normalSide,
            long accounts, long debits, long credits, long balance) {
    }

    /** Total debits and credits of an asset; the report is only given when they are equal. */
    @Serdeable
    public record DebitsCredits(String assetCode, long debits, long credits) {
    }

    // --- account statement ---

    /**
     * An account's movements in a period with the running balance, a page at a time.
     *
     * @param nextCursor pass as {@code cursor} for the next page; absent on the last
     */
    @Serdeable
    public record Statement(Region region, StatementParameters parameters, Instant generatedAt, StatementAccount account,
            List<StatementLine> lines, @Nullable Long nextCursor, StatementTotals totals) {
    }

    @Serdeable
    public record StatementParameters(UUID accountId, LocalDate from, LocalDate to, Instant start, Instant end,
            long cursor, int limit) {
    }

    /** @param normalSide {@code DEBIT} or {@code CREDIT} */
    @Serdeable
    public record StatementAccount(UUID accountId, String assetCode, String label, String normalSide) {
    }

    /**
     * One posted movement: the amount in {@code debit} or {@code credit}, the other 0.
     *
     * @param at           when the ledger committed it
     * @param businessDate that instant's day in the town's zone
     * @param balanceAfter the balance on the account's normal side after it
     */
    @Serdeable
    public record StatementLine(long seq, UUID transferId, Instant at, LocalDate businessDate, String kind, String reason,
            long debit, long credit, long balanceAfter) {
    }

    /**
     * The whole period, every page together.
     *
     * @param openingBalance the balance on the normal side at the period's start
     * @param closingBalance the balance on the normal side at its end
     */
    @Serdeable
    public record StatementTotals(long openingBalance, long debits, long credits, long closingBalance) {
    }

    // --- outstanding balance ---

    /** What residents held at the end of a day, per asset and lot source, with the Payment Services Act's test. */
    @Serdeable
    public record Outstanding(Region region, AtDate parameters, Instant generatedAt, List<OutstandingLine> lines,
            List<OutstandingTotal> totals, PaymentServicesAct paymentServicesAct) {
    }

    /**
     * @param assetKind          {@code CURRENCY} or {@code POINTS}
     * @param source             the lots' source: {@code PAID}, {@code PREMIUM}, {@code POINTS}, …
     * @param outstanding        what was left then of lots credited before and not expired at the instant
     * @param paymentServicesAct whether this value counts towards the Act's unused balance
     */
    @Serdeable
    public record OutstandingLine(String assetCode, String assetKind, String source, long outstanding,
            boolean paymentServicesAct) {
    }

    /**
     * @param outstanding          the asset's lines together
     * @param expiredAwaitingSweep value that had expired by the instant but was not yet swept to breakage: still in
     *                             the wallets' ledger balances, no longer spendable
     * @param heldInWallets        the wallets' ledger balances at the instant: outstanding plus expired awaiting sweep
     */
    @Serdeable
    public record OutstandingTotal(String assetCode, long outstanding, long expiredAwaitingSweep, long heldInWallets) {
    }

    /**
     * @param assetCode        the currency
     * @param sources          the lot sources counted: value paid for
     * @param outstanding      their outstanding value at the instant
     * @param threshold        ¥10,000,000: above it, security is required
     * @param exceedsThreshold whether {@code outstanding} is above the threshold
     * @param mustSecure       half of {@code outstanding} rounded up to the yen when above the threshold, else 0
     * @param rounding         the rounding of that half ({@code CEILING})
     */
    @Serdeable
    public record PaymentServicesAct(String assetCode, List<String> sources, long outstanding, long threshold,
            boolean exceedsThreshold, long mustSecure, String rounding) {
    }

    // --- breakage ---

    /** Value that expired and was swept to breakage in a period, per asset and the source of the lots it came from. */
    @Serdeable
    public record Breakage(Region region, InPeriod parameters, Instant generatedAt, List<BreakageLine> lines,
            List<BreakageTotal> totals) {
    }

    @Serdeable
    public record BreakageLine(String assetCode, String source, long amount) {
    }

    /** @param transfers the sweeps' transfers into the asset's breakage account */
    @Serdeable
    public record BreakageTotal(String assetCode, long amount, long transfers) {
    }

    // --- programme budgets ---

    /** Per programme, points appropriated to its budget and awarded from it, in a period and to its end. */
    @Serdeable
    public record ProgrammeBudgets(Region region, InPeriod parameters, Instant generatedAt, List<ProgrammeBudgetLine> lines,
            List<ProgrammeBudgetTotal> totals) {
    }

    /**
     * @param awardsInPeriod      how many awards took the {@code awardedInPeriod} points
     * @param appropriatedToDate  appropriated from the start to the end of the period
     * @param awardedToDate       awarded from the start to the end of the period
     * @param remaining           the budget at the end of the period: appropriated less awarded to date
     */
    @Serdeable
    public record ProgrammeBudgetLine(UUID programmeId, String name, String assetCode, long appropriatedInPeriod,
            long awardedInPeriod, long awardsInPeriod, long appropriatedToDate, long awardedToDate, long remaining) {
    }

    @Serdeable
    public record ProgrammeBudgetTotal(String assetCode, long appropriatedInPeriod, long awardedInPeriod,
            long awardsInPeriod, long appropriatedToDate, long awardedToDate, long remaining) {
    }

    // --- payments per shop ---

    /** Per shop, payments on the period's business days and refunds made in it. Amounts in yen (1 unit = ¥1). */
    @Serdeable
    public record ShopPayments(Region region, InPeriod parameters, Instant generatedAt, List<ShopLine> lines,
            ShopAmounts totals) {
    }

    @Serdeable
    public record ShopLine(UUID merchantId, String name, @Nullable String nameJa, ShopAmounts amounts) {
    }

    /**
     * A shop's takings in the period, and the fees settlement charged on the period's payments.
     *
     * @param payments how many payments
     * @param gross    what they paid
     * @param refunds  how many refunds
     * @param refunded what they gave back
     * @param net      gross less refunded
     * @param fees     the fees charged on the period's payments by the settlement runs that settled them (a payment
     *                 not settled yet has no fee yet)
     */
    @Serdeable
    public record ShopAmounts(long payments, long gross, long refunds, long refunded, long net, long fees) {

        public ShopAmounts {
            if (net != Math.subtractExact(gross, refunded)) {
                throw new IllegalArgumentException("net must be gross less refunded: " + gross + " - " + refunded
                        + " is not " + net);
            }
        }

        static ShopAmounts of(long payments, long gross, long refunds, long refunded, long fees) {
            return new ShopAmounts(payments, gross, refunds, refunded, Math.subtractExact(gross, refunded), fees);
        }

        static final ShopAmounts ZERO = of(0, 0, 0, 0, 0);

        ShopAmounts plus(ShopAmounts o) {
            return of(Math.addExact(payments, o.payments), Math.addExact(gross, o.gross),
                    Math.addExact(refunds, o.refunds), Math.addExact(refunded, o.refunded), Math.addExact(fees, o.fees));
        }
    }

    // --- money flow ---

    /**
     * The town's money per month and asset, from the journal's reason codes.
     *
     * @param unclassifiedReasons reason codes seen in the period that {@link MoneyFlowReport}'s table does not map
     *                            yet; their amounts are in {@code unclassified}
     */
    @Serdeable
    public record MoneyFlow(Region region, InPeriod parameters, Instant generatedAt, List<MoneyFlowLine> lines,
            List<MoneyFlowLine> totals, List<String> unclassifiedReasons) {
    }

    /**
     * @param month       {@code 2027-03}, or absent on a total
     * @param charged     top-ups and their premiums
     * @param awarded     points awarded by programmes
     * @param converted   points converted (in a point asset: points given up; in the currency: yen received)
     * @param spent       paid at shops less refunds
     * @param expired     swept to breakage
     * @param paidOut     paid out to shops
     * @param unclassified moved by reason codes the report does not know
     */
    @Serdeable
    public record MoneyFlowLine(@Nullable String month, String assetCode, long charged, long awarded, long converted,
            long spent, long expired, long paidOut, long unclassified) {
    }
}
