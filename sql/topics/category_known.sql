-- Whether any order has category $c at level 1, level 2 or as its full path: a selected topic must name a real one.
SELECT EXISTS (SELECT 1 FROM orders WHERE cat1 = $c OR cat2 = $c OR category = $c) AS known;
