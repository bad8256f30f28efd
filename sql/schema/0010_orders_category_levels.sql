-- The category path as its level names (CONTRACT §1): exact even where a name holds '/' ('HEAT/HOT WATER'), which a
-- mapping's level columns allow; `category` stays the names joined by '/'. Orders loaded before this column get the
-- split of their path, which is what they were read as.
ALTER TABLE orders ADD COLUMN category_levels VARCHAR[];
UPDATE orders SET category_levels = string_split(category, '/') WHERE category_levels IS NULL;
