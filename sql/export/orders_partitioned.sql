-- The orders as Parquet partitioned by year/month (Hive layout), one folder per city export. Only canonical
-- columns and the extension columns leave the store; content and address were masked at ingest. category_levels
-- (the level names, whole even where one holds '/', NULL when the mapping gave a joined path) goes with category.
COPY (
  SELECT
    $city                        AS city,
    order_id, created_at, category, content, district, street, community, address, lon, lat,
    caller_hash, channel, order_type, dept, closed_at, satisfaction, resolved, dispatch_count, reopened,
    category_levels,
    year(created_at)             AS year,
    lpad(month(created_at)::VARCHAR, 2, '0') AS month
  FROM orders
  WHERE created_at < $before::TIMESTAMP
  ORDER BY created_at, order_id
) TO '__DIR__' (FORMAT parquet, PARTITION_BY (year, month), OVERWRITE_OR_IGNORE, COMPRESSION zstd);
