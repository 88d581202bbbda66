-- A checkout attempt follows its session to the end (PAYMENT_PENDING, COMPLETED, PAYMENT_FAILED, EXPIRED), with
-- Stripe's time of the event that ended it; and asks Stripe under a new idempotency key after Stripe answered an
-- error (key_generation), since Stripe keeps that answer under the old key.
ALTER TABLE checkout_attempt ADD COLUMN key_generation INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE checkout_attempt ADD COLUMN settled_at TIMESTAMP WITH TIME ZONE;
