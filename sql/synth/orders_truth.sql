-- orders_truth.parquet from the generator's truth.tsv (tab-separated, no quoting, \N for null): each order's
-- true root causes (one '|'-separated field becomes a list), planted event and repeat. The target file is pasted
-- in by the caller (quoted), as COPY TO takes no parameter.
COPY (
  SELECT order_id, string_split(causes, '|') AS true_root_causes, is_planted_event_id, repeat_of, repeat_kind,
         out_of_scope
  FROM read_csv($tsv, delim = '\t', quote = '', escape = '', header = false, nullstr = '\N',
                columns = {'order_id': 'VARCHAR', 'causes': 'VARCHAR', 'is_planted_event_id': 'VARCHAR',
                           'repeat_of': 'VARCHAR', 'repeat_kind': 'VARCHAR', 'out_of_scope': 'BOOLEAN'})
) TO '__OUT__' (FORMAT parquet, COMPRESSION zstd);
