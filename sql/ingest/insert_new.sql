-- The direct way (ids.sql said so): every valid row is an order new to the store, written straight from the source
-- in one pass, without a staging copy; validation is the filter, computed alongside the columns it shares parsing
-- with. The rows it leaves out are looked at again (check.sql) only when there are some.
INSERT INTO orders (
  order_id, created_at, category, category_levels, cat1, cat2, content, district, street, community, address, lon, lat,
  caller_hash, channel, order_type, dept, closed_at, satisfaction, resolved, dispatch_count, reopened,
  row_hash, first_seq, seq, source_file, source_line, loaded_at
)
SELECT
  r.order_id, r.created_at, r.category, r.category_levels, r.cat1, r.cat2, r.content, r.district, r.street, r.community, r.address,
  r.lon, r.lat, r.caller_hash, r.channel, r.order_type, r.dept, r.closed_at, r.satisfaction, r.resolved,
  r.dispatch_count, r.reopened, r.row_hash,
  $batch                                AS first_seq,
  $batch                                AS seq,
  $file                                 AS source_file,
  r._line                               AS source_line,
  current_localtimestamp()              AS loaded_at
FROM ingest_typed r
WHERE r.reason IS NULL;
