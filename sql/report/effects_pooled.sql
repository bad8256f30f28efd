-- The effect (成效) of all measured items of a kind taken together, as last measured on or before the as-of: one
-- row per subject kind and measure. Single hotspot cells hold a few orders a week, so one item's estimate is mostly
-- noise; the sum over items is what tells whether hotspot work lowers complaints. Items are independent, so the
-- variances add. Each item's standard error is read back from its interval as half-width / 1.96: the half-width is
-- 1.96 × a Poisson floor or t(df) × a bootstrap error (src/assign/did.ts), so this is at least the item's error
-- and the pooled interval errs wide.
WITH latest AS (
  SELECT max(as_of) AS as_of FROM effects WHERE as_of <= $as_of::DATE
),
items AS (
  SELECT e.subject_kind, e.measure, e.treated_post, e.counterfactual, e.effect, e.significant,
         (e.effect_hi - e.effect_lo) / (2 * 1.96) AS se
  FROM effects e, latest
  WHERE e.as_of = latest.as_of AND e.method = 'did'
),
pooled AS (
  SELECT subject_kind, measure,
         count(*)                                              AS items,
         sum(treated_post)                                     AS treated_post,
         sum(counterfactual)                                   AS counterfactual,
         sum(effect)                                           AS effect,
         sqrt(sum(se * se))                                    AS se,
         count(*) FILTER (WHERE significant AND effect < 0)    AS significant_declines,
         count(*) FILTER (WHERE significant AND effect > 0)    AS significant_rises
  FROM items
  GROUP BY ALL
)
SELECT subject_kind, measure, items, treated_post, counterfactual,
       effect / counterfactual                                 AS effect_pct,
       greatest(-1, (effect - 1.96 * se) / counterfactual)     AS pct_lo,
       (effect + 1.96 * se) / counterfactual                   AS pct_hi,
       significant_declines, significant_rises
FROM pooled
WHERE counterfactual > 0
ORDER BY subject_kind DESC, CASE measure WHEN 'category' THEN 0 WHEN 'cells' THEN 1 ELSE 2 END;
