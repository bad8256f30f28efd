-- The token hashes of the recipients that have a page token (a recipient without one cannot open the page).
SELECT recipient_id, token_hash FROM recipients WHERE token_hash IS NOT NULL;
