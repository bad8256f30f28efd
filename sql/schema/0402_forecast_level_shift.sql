-- A series whose last weeks broke away from its model is forecast at their level (src/forecast/models.ts,
-- levelShift): the first of the weeks compared and the multiplier applied. NULL: no shift.
ALTER TABLE forecast_models ADD COLUMN level_shift_since DATE;
ALTER TABLE forecast_models ADD COLUMN level_shift_factor DOUBLE;
