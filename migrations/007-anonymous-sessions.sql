-- Sessions are kept for signed-in users only: the sign-in form's CSRF secret now lives in a signed
-- cookie. The rows that anonymous page views wrote (one per visit, a flood's worth of them) go.
DELETE FROM sessions WHERE user_id IS NULL;
