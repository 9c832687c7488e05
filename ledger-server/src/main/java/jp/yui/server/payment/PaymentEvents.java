package jp.yui.server.payment;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.util.UUID;

/** The webhooks a payment or refund sends to its shop, written to the outbox in the caller's transaction. */
@Singleton
public class PaymentEvents {

    void paymentSucceeded(Connection c, long regionId, UUID merchantId, PaymentApi.Payment payment) {
        // wired to the webhook outbox when it lands
    }

    void paymentRefunded(Connection c, long regionId, UUID merchantId, PaymentApi.Refund refund) {
        // wired to the webhook outbox when it lands
    }
}
