-- Every stored order is a target (a first run, or a re-tag after the lexicon, sample, rules or settings changed):
-- all old rows go, without the semi-join on order_id that clear_targets.sql needs (1M ids hashed and probed
-- twice: ~0.4 s of the 1M-order re-tag).
DELETE FROM order_tags;
DELETE FROM order_flags;
