package jp.yui.merchant;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A charge of a scanned customer code ({@link MerchantClient#charge(ChargeRequest)}): the code, the amount, and
 * optionally the shop's reference and, for a printed card, the PIN the resident typed on the till. Immutable; the
 * {@code with…} methods return a copy.
 *
 * <p>Two kinds of customer code exist: an app's token ({@value CustomerToken#PREFIX}…, short-lived and signed,
 * checked offline before it is charged) and a printed card's code ({@value #CARD_PREFIX}XXXX-XXXX-XXXX-XXXX), which
 * never pays without its PIN. Use {@link #isCardCode(String)} after a scan to know whether to ask for the PIN.
 */
public final class ChargeRequest {

    /** What the QR code of a resident's printed card starts with. */
    public static final String CARD_PREFIX = "YUI-CARD:";

    private static final Pattern PIN = Pattern.compile("[0-9]{4,6}");

    private final String customerCode;
    private final long amount;
    private final String reference;
    private final String pin;

    private ChargeRequest(String customerCode, long amount, String reference, String pin) {
        this.customerCode = customerCode;
        this.amount = amount;
        this.reference = reference;
        this.pin = pin;
    }

    /**
     * @param customerCode the scanned text, a token or a card code (checked when charged, so that a bad scan is a
     *                     {@link CustomerCodeException} like any other refused code)
     * @param amount       the amount to charge in yen, {@code > 0}
     * @return the request, without reference or PIN
     * @throws NullPointerException     if {@code customerCode} is null
     * @throws IllegalArgumentException if {@code customerCode} is empty or {@code amount <= 0}
     */
    public static ChargeRequest of(String customerCode, long amount) {
        Objects.requireNonNull(customerCode, "customerCode");
        if (customerCode.isEmpty()) {
            throw new IllegalArgumentException("customerCode must not be empty");
        }
        return new ChargeRequest(customerCode, Arguments.requireAmount("amount", amount), null, null);
    }

    /**
     * @param code scanned text
     * @return whether it is a printed card's code, which pays only with the resident's PIN ({@link #withPin})
     * @throws NullPointerException if {@code code} is null
     */
    public static boolean isCardCode(String code) {
        return Objects.requireNonNull(code, "code").startsWith(CARD_PREFIX);
    }

    /**
     * @param reference the shop's reference (an order number): 1 to 25 characters of {@code [A-Za-z0-9._-]}, or null
     *                  for none
     * @return a copy with this reference
     * @throws IllegalArgumentException if {@code reference} breaks the rule above
     */
    public ChargeRequest withReference(String reference) {
        return new ChargeRequest(customerCode, amount, Arguments.requireReference(reference), pin);
    }

    /**
     * @param pin the PIN the resident typed for their printed card: 4 to 6 digits
     * @return a copy with this PIN
     * @throws NullPointerException     if {@code pin} is null
     * @throws IllegalArgumentException if it is not 4 to 6 ASCII digits (the PIN is not repeated in the message)
     */
    public ChargeRequest withPin(String pin) {
        Objects.requireNonNull(pin, "pin");
        if (!PIN.matcher(pin).matches()) {
            throw new IllegalArgumentException("pin must be 4 to 6 digits, has " + pin.length() + " characters");
        }
        return new ChargeRequest(customerCode, amount, reference, pin);
    }

    /** @return the scanned code */
    public String customerCode() {
        return customerCode;
    }

    /** @return the amount in yen, {@code > 0} */
    public long amount() {
        return amount;
    }

    /** @return the shop's reference, if given */
    public Optional<String> reference() {
        return Optional.ofNullable(reference);
    }

    /** @return the card's PIN, if given */
    public Optional<String> pin() {
        return Optional.ofNullable(pin);
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ChargeRequest)) {
            return false;
        }
        ChargeRequest that = (ChargeRequest) other;
        return amount == that.amount && customerCode.equals(that.customerCode)
                && Objects.equals(reference, that.reference) && Objects.equals(pin, that.pin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(customerCode, amount, reference, pin);
    }

    /** @return the amount, reference and kind of code; neither the code (a credential) nor the PIN */
    @Override
    public String toString() {
        return "ChargeRequest[" + (isCardCode(customerCode) ? "card" : "code") + ", " + amount + " yen, reference "
                + reference + (pin == null ? "" : ", PIN given") + "]";
    }
}
