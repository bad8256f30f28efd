-- One row per written monthly report (the latest write of a month replaces the earlier one).
CREATE TABLE reports (
  month          VARCHAR   NOT NULL,          -- YYYY-MM the report is for (as of its first day)
  as_of          DATE      NOT NULL,
  html_path      VARCHAR   NOT NULL,
  md_path        VARCHAR   NOT NULL,
  html_bytes     BIGINT    NOT NULL,
  candidates     INTEGER   NOT NULL,
  charts         INTEGER   NOT NULL,          -- SVG charts and maps embedded
  notes          JSON      NOT NULL,          -- data-quality and missing-evidence notes shown in the report
  generated_at   TIMESTAMP NOT NULL
);
