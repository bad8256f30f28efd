-- One measured effect of a topic or hotspot item (assign/effect.ts computes it; the DELETE for the as-of runs first).
INSERT INTO effects (
  as_of, subject_kind, subject_id, category, lead_unit, measure, method,
  action_start, action_end, pre_start, post_end, weeks_pre, weeks_post,
  treated_n, control_n, treated_pre, treated_post, counterfactual, effect, effect_lo, effect_hi,
  effect_pct, pct_lo, pct_hi, significant, summary, details
)
VALUES (
  $as_of::DATE, $kind, $id, $category, $lead, $measure, $method,
  $a0::DATE, $a1::DATE, $p0::DATE, $p1::DATE, $wpre, $wpost,
  $tn, $cn, $tpre, $tpost, $cf, $eff, $lo, $hi,
  $pct, $plo, $phi, $sig, $summary, $details::JSON
);
