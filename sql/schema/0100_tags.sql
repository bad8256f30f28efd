-- Root-cause tags: multi-label, one row per (order, tag) with confidence in [0,1].
CREATE TABLE order_tags (
  order_id       VARCHAR   NOT NULL,
  tag            VARCHAR   NOT NULL,          -- 权责交叉 | 政策漏洞 | 基础设施短板 | 监管缺位 | 服务落实不到位 | 其他 (data/root_causes.json)
  confidence     DOUBLE    NOT NULL,
  sources        VARCHAR   NOT NULL,          -- which evidence voted: lexicon, model, structure (joined by '+'); 'none' for 其他
  seq            BIGINT    NOT NULL           -- orders.seq the tag was computed from
);

-- Per-order flags: repeats and the scope guard (负面清单).
CREATE TABLE order_flags (
  order_id       VARCHAR   NOT NULL,
  is_repeat      BOOLEAN   NOT NULL,
  repeat_kind    VARCHAR,                     -- caller | place (same level-2 category, within tag.repeatWindowDays)
  repeat_of      VARCHAR,                     -- the earlier order it repeats
  out_of_scope   BOOLEAN   NOT NULL,
  scope_rule     VARCHAR,                     -- which rule of the negative list matched
  seq            BIGINT    NOT NULL
);
