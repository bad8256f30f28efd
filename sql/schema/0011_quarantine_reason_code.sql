-- A machine code beside each quarantine row's reason, for whatever acts on the kind of failure (the nightly's clock
-- guard): the reason is text for people and may be reworded or translated, the code is not. NULL on rows written
-- before this column. The codes, one per reason ingest writes:
--   rows that failed validation (sql/ingest/typed_rows.sql): missing_order_id, missing_created_at,
--     unreadable_created_at, created_before_window, created_after_window, missing_category, missing_content,
--     lon_not_number, lat_not_number, coords_incomplete, lon_out_of_range, lat_out_of_range, bad_encoding;
--   rows the reader could not parse (ingest_unreadable): unreadable_line, wrong_field_count, unclosed_quote,
--     not_json_object;
--   a file refused whole (sql/ingest/set_aside.sql): file_set_aside.
ALTER TABLE quarantine ADD COLUMN reason_code VARCHAR;
