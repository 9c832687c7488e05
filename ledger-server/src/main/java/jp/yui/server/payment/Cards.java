package jp.yui.server.payment;

import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import jp.yui.server.db.Db;
import jp.yui.server.db.Problems;

/**
 * Printed cards, for residents without a phone. The card's QR code is {@code YUI-CARD:} and the card code; anyone
 * holding the card (or a photocopy) can show it, so a card never pays alone:
 *
 * <ul>
 *   <li>every charge carries the card's PIN, typed by the resident on the shop's till;</li>
 *   <li>five wrong PINs in a row lock the card until a cashier sets a new PIN at the counter;</li>
 *   <li>a card pays at most the region's daily card limit ({@link PaySettings}), so even a shoulder-surfed PIN
 *       with a stolen card costs at most one day's limit before the resident reports it.</li>
 * </ul>
 *
 * PINs are stored as salted PBKDF2 hashes. With only 10^4 to 10^6 PINs the hash slows an attacker who stole the
 * database but cannot stop one; the lock-out is what protects a card in use.
 */
@Singleton
public class Cards {

    /** The prefix of a printed card's QR code. */
    public static final String PREFIX = "YUI-CARD:";
    /** Wrong PINs in a row that lock a card. */
    public static final int MAX_FAILURES = 5;

    private static final Pattern CARD = Pattern.compile("[A-Z2-9]{4}(-[A-Z2-9]{4}){3}");
    private static final int ITERATIONS = 50_000;

    private final Db db;
    private final SecureRandom random = new SecureRandom();

    public Cards(Db db) {
        this.db = db;
    }

    /** The card code a scanned value names, if it has a card's shape ({@code YUI-CARD:XXXX-XXXX-XXXX-XXXX}). */
    public static Optional<String> cardCode(String scanned) {
        String s = scanned.strip();
        if (s.startsWith(PREFIX)) {
            s = s.substring(PREFIX.length());
        }
        return CARD.matcher(s).matches() ? Optional.of(s) : Optional.empty();
    }

    /** The resident holding the card, if any. */
    public Optional<UUID> holder(long regionId, String cardCode) {
        return db.read(c -> Db.one(c, "select resident_id from resident where region_id = ? and card_code = ?",
                rs -> rs.getObject(1, UUID.class), regionId, cardCode));
    }

    /**
     * Sets the card's PIN. A cashier's new PIN also clears the failures and unlocks the card; the resident may
     * change their PIN but not unlock a locked card (whoever locked it may hold their phone too).
     *
     * @param unlock true for a cashier at the counter
     * @throws jp.yui.server.infra.ProblemException 404 for an unknown resident, 422 {@code card-locked} when the
     *     resident tries to change the PIN of a locked card
     */
    public void setPin(long regionId, UUID residentId, String pin, boolean unlock) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        int updated = db.tx(c -> Db.update(c, "update resident set card_pin_hash = ?, card_pin_salt = ?, "
                + "card_pin_failures = 0, card_locked_at = null where region_id = ? and resident_id = ?"
                + (unlock ? "" : " and card_locked_at is null"), hash(pin, salt), salt, regionId, residentId));
        if (updated == 0) {
            boolean exists = db.read(c -> Db.sum(c, "select count(*) from resident where region_id = ? and resident_id = ?",
                    regionId, residentId)) > 0;
            if (!exists) {
                throw Problems.notFound("resident", residentId);
            }
            throw Problems.unprocessable("card-locked", "Card locked",
                    "this card is locked after " + MAX_FAILURES + " wrong PINs; a cashier unlocks it at the town office");
        }
    }

    /**
     * Checks a PIN typed at a till, in its own transaction so a wrong guess is counted even though the payment it
     * belonged to fails.
     *
     * @throws jp.yui.server.infra.ProblemException 422 {@code card-pin-required} without a PIN or before one was set,
     *     {@code card-locked} if locked, {@code card-pin-wrong} (with the attempts left) for a wrong one
     */
    public void checkPin(long regionId, UUID residentId, String pin) {
        if (pin == null) {
            throw Problems.unprocessable("card-pin-required", "PIN required", "a printed card pays only with its PIN");
        }
        String outcome = db.tx(c -> {
            Object[] row = Db.one(c, "select card_pin_hash, card_pin_salt, card_pin_failures, card_locked_at from resident "
                    + "where region_id = ? and resident_id = ? for update", rs -> new Object[] {rs.getBytes(1),
                    rs.getBytes(2), rs.getInt(3), rs.getTimestamp(4)}, regionId, residentId).orElseThrow();
            if (row[0] == null) {
                return "unset";
            }
            if (row[3] != null) {
                return "locked";
            }
            if (MessageDigest.isEqual((byte[]) row[0], hash(pin, (byte[]) row[1]))) {
                Db.update(c, "update resident set card_pin_failures = 0 where region_id = ? and resident_id = ? "
                        + "and card_pin_failures > 0", regionId, residentId);
                return "ok";
            }
            int failures = (Integer) row[2] + 1;
            Db.update(c, "update resident set card_pin_failures = ?, card_locked_at = case when ? then now() end "
                    + "where region_id = ? and resident_id = ?", failures, failures >= MAX_FAILURES, regionId, residentId);
            return failures >= MAX_FAILURES ? "now-locked" : "wrong:" + (MAX_FAILURES - failures);
        });
        switch (outcome) {
            case "ok":
                return;
            case "unset":
                throw Problems.unprocessable("card-pin-required", "PIN required",
                        "this card has no PIN yet; a cashier sets one at the town office");
            case "locked":
            case "now-locked":
                throw Problems.unprocessable("card-locked", "Card locked",
                        "this card is locked after " + MAX_FAILURES + " wrong PINs; a cashier unlocks it at the town office");
            default:
                throw Problems.unprocessable("card-pin-wrong", "Wrong PIN",
                        "the PIN is wrong; " + outcome.substring(6) + " attempts left before the card locks");
        }
    }

    private static byte[] hash(String pin, byte[] salt) {
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            return f.generateSecret(new PBEKeySpec(pin.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
        }
    }
}
