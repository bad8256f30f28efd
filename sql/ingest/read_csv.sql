-- One CSV file's records as text into ingest_src_t, with the header csv.ts parsed itself (DuckDB's sniffer can be
-- fooled by a few broken rows): $columns names the columns positionally (_c0, _c1, …; csv.ts gives them their
-- headers in the ingest_src view), $delim is the detected or mapped delimiter. Records DuckDB cannot parse go to its
-- rejects tables (then csv_rejects.sql). One stream (parallel = false; csv.ts also runs it on one thread): the table
-- must keep the file's record order (rowid is the record number), and the parallel reader's merge of its chunks back
-- into that order cost more CPU than the read itself (see onOneThread in csv.ts).
CREATE OR REPLACE TEMP TABLE ingest_src_t AS
SELECT *
FROM read_csv($path, auto_detect = false, header = true, delim = $delim, quote = '"', escape = '"',
              columns = $columns, store_rejects = true, rejects_table = 'ingest_rej_err',
              rejects_scan = 'ingest_rej_scan', max_line_size = 8388608, parallel = false);
