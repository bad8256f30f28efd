-- The space-time permutation scan's verdict on each hotspot row (src/spatial/scan.ts): how strong the cell's best
-- cylinder is, whether it stands above the cell's own usual level, and over how many weeks.
ALTER TABLE hotspots ADD COLUMN strength DOUBLE;        -- log-likelihood ratio of the strongest cylinder centred on the cell
ALTER TABLE hotspots ADD COLUMN scan_p DOUBLE;          -- its Gumbel-calibrated p-value (the layer's maximum under no space-time interaction)
ALTER TABLE hotspots ADD COLUMN scan_weeks INTEGER;     -- the cylinder's length: 1 … 4 weeks before as-of
ALTER TABLE hotspots ADD COLUMN expected DOUBLE;        -- the cylinder's expected orders: its usual share × the window's city total
ALTER TABLE hotspots ADD COLUMN above_usual BOOLEAN;    -- scan significant (Benjamini–Hochberg over every layer's cells at q)
