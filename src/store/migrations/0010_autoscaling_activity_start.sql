-- Application Auto Scaling keeps scaling activities six weeks (AWS time): the start of each, to
-- delete the older ones by an index. Rows from 0008 take theirs from the document's StartTime
-- (epoch seconds). 0009 is logs_metric_filters.
ALTER TABLE aas_activities ADD COLUMN start_ms INTEGER NOT NULL DEFAULT 0;
UPDATE aas_activities SET start_ms = CAST(json_extract(doc, '$.StartTime') * 1000 AS INTEGER);
CREATE INDEX aas_activities_by_start ON aas_activities (start_ms);
