package jp.yui.server.web;

import jakarta.inject.Singleton;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import jp.yui.server.db.Problems;
import jp.yui.server.payment.Cards;
import jp.yui.server.resident.Residents;

/**
 * Finds the resident a programme officer means: by the code on the printed card in the resident's hand
 * ({@code YUI-CARD:XXXX-XXXX-XXXX-XXXX}, or just its 16 characters, in any width or case), or by their resident id.
 */
@Singleton
class ResidentFinder {

    private final Residents residents;
    private final Cards cards;

    ResidentFinder(Residents residents, Cards cards) {
        this.residents = residents;
        this.cards = cards;
    }

    /**
     * @throws jp.yui.server.infra.ProblemException 404 if no resident of the town has this card or id; 400
     *     {@code validation} if the text is neither a card code nor an id
     */
    UUID find(long regionId, String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
        Optional<String> card = Cards.cardCode(t.toUpperCase(Locale.ROOT));
        if (card.isPresent()) {
            return cards.holder(regionId, card.get()).orElseThrow(() -> Problems.notFound("card", card.get()));
        }
        UUID id;
        try {
            id = UUID.fromString(t);
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("validation", "Invalid request",
                    "resident must be a card code (XXXX-XXXX-XXXX-XXXX) or a resident id: " + text);
        }
        return residents.require(regionId, id).residentId();
    }

    /** The resident's name as registered. */
    String name(long regionId, UUID residentId) {
        return residents.require(regionId, residentId).displayName();
    }
}
