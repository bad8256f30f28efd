-- Assignment lists (交办清单), their recipients, pushes, returned results (回传), effect (成效) and the unit
-- scorecard. Owned by the assign stage (src/assign). See docs/assign.md for how each table is filled.

-- One row per assignment item. item_id is a stable hash of what the item is about, so a re-run for the same
-- as-of finds the same ids and never duplicates an item or resets its status.
CREATE TABLE assignments (
  item_id         VARCHAR   NOT NULL PRIMARY KEY,  -- 'T-…' topic item, 'H-…' hotspot item
  source          VARCHAR   NOT NULL,          -- topic | hotspot
  item_type       VARCHAR   NOT NULL,          -- a key of config assign.deadlines.types (facility | general | topic …)
  level           VARCHAR   NOT NULL,          -- grid | street | city: the area the item covers
  as_of           DATE      NOT NULL,          -- the as-of date of the run that created the item
  month           VARCHAR,                     -- YYYY-MM of the 调度 topic (topic items only)
  category        VARCHAR   NOT NULL,          -- level-2 'l1/l2' (or level-1) category
  cell            VARCHAR,                     -- H3 cell (hotspot items)
  grid_id         VARCHAR,
  district        VARCHAR,
  street          VARCHAR,
  title           VARCHAR   NOT NULL,          -- one Chinese line: what to do where
  evidence        JSON      NOT NULL,          -- {orders, orders_prev, z, kinds, repeat, typical_orders[masked], window_start, window_end}
  lead_unit       VARCHAR,                     -- 牵头单位
  co_units        VARCHAR[] NOT NULL,          -- 配合单位
  assigned_at     TIMESTAMP NOT NULL,          -- start of the deadline clock (as_of 00:00 local)
  deadline        TIMESTAMP NOT NULL,
  status          VARCHAR   NOT NULL,          -- 交办 | 排查 | 整改 | 办结 | 核验
  status_at       TIMESTAMP NOT NULL,          -- when the current status was reached
  acknowledged_at TIMESTAMP,                   -- first time the item left 交办 (排查 started)
  finished_at     TIMESTAMP,                   -- first 办结
  verified_at     TIMESTAMP,                   -- 核验
  run_id          VARCHAR
);

-- Who receives (and may update) which item. An item reaches its grid worker, its street office and its units.
CREATE TABLE assignment_recipients (
  item_id         VARCHAR   NOT NULL,
  recipient_id    VARCHAR   NOT NULL,
  role            VARCHAR   NOT NULL           -- grid | street | district | unit: why the recipient gets it
);

-- Recipients as configured (config assign.recipients), refreshed on every assign/push/serve. Tokens are kept only
-- as a SHA-256 hash; webhook URLs and secrets are never written to the store.
CREATE TABLE recipients (
  recipient_id    VARCHAR   NOT NULL PRIMARY KEY,
  name            VARCHAR   NOT NULL,
  kind            VARCHAR   NOT NULL,          -- grid | street | district | unit
  covers          JSON      NOT NULL,          -- {grids[], streets[], districts[], units[]}
  webhook_type    VARCHAR,                     -- json | wecom | dingtalk | NULL (export only)
  token_hash      VARCHAR,                     -- sha256 hex of the bearer token for `weisu serve`
  updated_at      TIMESTAMP NOT NULL
);

-- Every push attempt (one HTTP POST), successful or not. Dry runs are not recorded.
CREATE TABLE pushes (
  push_id         VARCHAR   NOT NULL,          -- one id per message (all attempts of it share it)
  run_id          VARCHAR,
  as_of           DATE      NOT NULL,
  recipient_id    VARCHAR   NOT NULL,
  items           VARCHAR[] NOT NULL,          -- item ids in this message
  format          VARCHAR   NOT NULL,          -- json | wecom | dingtalk
  part            INTEGER   NOT NULL,          -- message i of parts (long lists are split to the robot's size limit)
  parts           INTEGER   NOT NULL,
  attempt         INTEGER   NOT NULL,          -- 1, 2, … (retries after network errors and 5xx/429)
  sent_at         TIMESTAMP NOT NULL,
  http_status     INTEGER,                     -- NULL on a network error
  ok              BOOLEAN   NOT NULL,
  error           VARCHAR,
  ms              INTEGER
);

-- Every status update (回传), from a file import, the HTTP endpoint or the CLI: the full history of each item.
CREATE TABLE feedback (
  item_id         VARCHAR   NOT NULL,
  recipient_id    VARCHAR,                     -- who reported it (NULL for an import without one)
  from_status     VARCHAR   NOT NULL,
  to_status       VARCHAR   NOT NULL,
  note            VARCHAR,
  happened_at     TIMESTAMP NOT NULL,          -- when it happened, as reported (import field `at`)
  recorded_at     TIMESTAMP NOT NULL,
  source          VARCHAR   NOT NULL,          -- file | http | cli | simulated (demo only: weisu feedback simulate)
  file            VARCHAR,
  line            INTEGER
);

-- Effect (成效) of each finished topic and hotspot item as of a date: one row per (subject, measure).
-- Counts are per week; effect = observed - counterfactual (negative = a decline); pct = effect / counterfactual.
CREATE TABLE effects (
  as_of           DATE      NOT NULL,
  subject_kind    VARCHAR   NOT NULL,          -- topic | hotspot
  subject_id      VARCHAR   NOT NULL,          -- 'YYYY-MM:<category>' for a topic, the item_id for a hotspot
  category        VARCHAR   NOT NULL,
  lead_unit       VARCHAR,
  measure         VARCHAR   NOT NULL,          -- category | cells | repeat | forecast
  method          VARCHAR   NOT NULL,          -- did (vs comparable untreated streets/cells) | forecast
  action_start    DATE      NOT NULL,          -- assignment date: the pre period ends here
  action_end      DATE      NOT NULL,          -- 办结 date: the post period starts here
  pre_start       DATE      NOT NULL,
  post_end        DATE      NOT NULL,
  weeks_pre       INTEGER   NOT NULL,
  weeks_post      INTEGER   NOT NULL,
  treated_n       INTEGER   NOT NULL,          -- treated streets / cells
  control_n       INTEGER   NOT NULL,          -- comparable untreated streets / cells (0 for method forecast)
  treated_pre     DOUBLE    NOT NULL,          -- weekly mean, treated, pre period
  treated_post    DOUBLE    NOT NULL,          -- weekly mean, treated, post period (observed)
  counterfactual  DOUBLE    NOT NULL,          -- weekly mean expected in the post period without the action
  effect          DOUBLE    NOT NULL,          -- treated_post - counterfactual
  effect_lo       DOUBLE    NOT NULL,          -- 95% interval (bootstrap over weeks) or the forecast's 80% band
  effect_hi       DOUBLE    NOT NULL,
  effect_pct      DOUBLE,                      -- effect / counterfactual
  pct_lo          DOUBLE,
  pct_hi          DOUBLE,
  significant     BOOLEAN   NOT NULL,          -- interval excludes 0
  summary         VARCHAR   NOT NULL,          -- one Chinese sentence for the report
  details         JSON
);

-- Monthly scorecard per lead unit (承办单位考核): process indicators over the items assigned in the month, result
-- indicators from effects. Recomputed for every month that has items, as of the run date.
CREATE TABLE scorecard (
  as_of                 DATE    NOT NULL,
  month                 VARCHAR NOT NULL,      -- YYYY-MM the items were assigned in
  unit                  VARCHAR NOT NULL,      -- lead unit
  assigned              INTEGER NOT NULL,
  acknowledged_on_time  INTEGER NOT NULL,      -- left 交办 within assign.ackHours of assignment (按时签收)
  returned_on_time      INTEGER NOT NULL,      -- 办结 reported by the deadline (按时回传)
  checked_on_time       INTEGER NOT NULL,      -- 核验 within assign.verifyDays after 办结 (按时核验)
  finished              INTEGER NOT NULL,      -- reached 办结 or 核验
  verified              INTEGER NOT NULL,      -- reached 核验
  overdue               INTEGER NOT NULL,      -- past the deadline and not finished (as of the run), or finished late
  open                  INTEGER NOT NULL,      -- not finished yet
  on_time_rate          DOUBLE,                -- returned_on_time / assigned
  effects_n             INTEGER NOT NULL,      -- effect rows (measure category or cells) for this unit's subjects
  decline_pct           DOUBLE,                -- mean effect_pct of those rows (negative = complaints fell)
  significant_declines  INTEGER NOT NULL       -- of them, with an interval below 0
);
