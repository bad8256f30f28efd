-- Coordinates that name no place (place stage, sql/spatial/place_placeholders.sql): a geocoder's default point shared
-- by orders from many districts, or a point far outside the area the orders cover. Orders at these exact coordinates
-- are placed as if they had none (order_places.coord_status 'placeholder', cell NULL, places from their names).
-- Recomputed from the whole store on every place run; other stages (tag's repeats by place) may read it.
CREATE TABLE place_placeholders (
  lon          DOUBLE  NOT NULL,
  lat          DOUBLE  NOT NULL,
  reason       VARCHAR NOT NULL,   -- shared (many districts or streets at one point) | outside_box (far from the city)
  orders       BIGINT  NOT NULL,   -- orders at exactly this point
  share        DOUBLE  NOT NULL,   -- of all orders with usable coordinates
  names        INTEGER,            -- shared: distinct district (or street) names among its orders
  top_name     VARCHAR,            -- shared: the most frequent of them
  top_share    DOUBLE              -- shared: its share of the point's named orders
);
