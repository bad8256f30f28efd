-- The last 4 weeks' orders over what the chosen model, fitted before them, expected (NULL: not measured): a
-- series running under its usual course gets no surge warning of that course.
ALTER TABLE forecast_models ADD COLUMN tracking DOUBLE;
