-- Who receives each item: the grid worker of its grid, the office of its street or district, and its lead and
-- supporting units. Derived from the recipients table, so it is rebuilt whole whenever the config changes.

-- With assign.autoRecipients, every street and lead unit that has items but no configured recipient gets an
-- export-only list of its own, so a city that has not configured anyone yet still gets per-office lists.
DELETE FROM recipients WHERE recipient_id LIKE 'auto-%';

INSERT INTO recipients (recipient_id, name, kind, covers, webhook_type, token_hash, updated_at)
WITH configured AS (
  SELECT unnest(from_json(covers -> 'streets', '["VARCHAR"]')) AS street_key, NULL::VARCHAR AS unit FROM recipients
  UNION ALL
  SELECT NULL, unnest(from_json(covers -> 'units', '["VARCHAR"]')) FROM recipients
),
streets AS (
  SELECT DISTINCT district, street FROM assignments WHERE street IS NOT NULL
),
units AS (
  SELECT DISTINCT lead_unit AS unit FROM assignments WHERE lead_unit IS NOT NULL
)
-- the list's name: district and street as written, a space between two Latin names (Allston / Brighton Ward 22), none
-- between Chinese ones (高新区解放街道), as src/store/place-names.ts joinPlace does
SELECT 'auto-street-' || COALESCE(district, '') || '-' || street,
       CASE WHEN regexp_matches(COALESCE(district, ''), '[A-Za-z0-9.)]$') AND regexp_matches(street, '^[A-Za-z0-9(]')
            THEN district || ' ' || street ELSE COALESCE(district, '') || street END, 'street',
       json_object('grids', []::VARCHAR[], 'streets', [COALESCE(district, '') || '/' || street], 'districts', []::VARCHAR[], 'units', []::VARCHAR[]),
       NULL, NULL, current_localtimestamp()
FROM streets
WHERE $auto AND NOT EXISTS (SELECT 1 FROM configured c WHERE c.street_key = streets.street OR c.street_key = COALESCE(streets.district, '') || '/' || streets.street)
UNION ALL
SELECT 'auto-unit-' || unit, unit, 'unit',
       json_object('grids', []::VARCHAR[], 'streets', []::VARCHAR[], 'districts', []::VARCHAR[], 'units', [unit]),
       NULL, NULL, current_localtimestamp()
FROM units
WHERE $auto AND NOT EXISTS (SELECT 1 FROM configured c WHERE c.unit = units.unit);
DELETE FROM assignment_recipients;

INSERT INTO assignment_recipients (item_id, recipient_id, role)
WITH covers AS (
  SELECT recipient_id, 'grid' AS role, unnest(from_json(covers -> 'grids', '["VARCHAR"]')) AS value FROM recipients
  UNION ALL
  SELECT recipient_id, 'street', unnest(from_json(covers -> 'streets', '["VARCHAR"]')) FROM recipients
  UNION ALL
  SELECT recipient_id, 'district', unnest(from_json(covers -> 'districts', '["VARCHAR"]')) FROM recipients
  UNION ALL
  SELECT recipient_id, 'unit', unnest(from_json(covers -> 'units', '["VARCHAR"]')) FROM recipients
),
matches AS (
  SELECT a.item_id, c.recipient_id, c.role
  FROM assignments a
  JOIN covers c ON
       (c.role = 'grid'     AND a.grid_id = c.value)
    OR (c.role = 'street'   AND (a.street = c.value OR a.district || '/' || a.street = c.value))
    OR (c.role = 'district' AND a.district = c.value)
    OR (c.role = 'unit'     AND (a.lead_unit = c.value OR list_contains(a.co_units, c.value)))
)
SELECT DISTINCT ON (item_id, recipient_id) item_id, recipient_id, role
FROM matches
ORDER BY item_id, recipient_id, CASE role WHEN 'grid' THEN 0 WHEN 'street' THEN 1 WHEN 'district' THEN 2 ELSE 3 END;
