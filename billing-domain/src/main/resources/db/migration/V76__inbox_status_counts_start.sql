-- The inbox's counts per status start from one count of the events already stored (V75 created the triggers that
-- keep them from then on).
--
-- The triggers have been recording deltas since V75 committed, and the intake (nodes of the previous version during a
-- rolling upgrade) goes on writing while this count runs: a change committed between V75 and this statement is both
-- in the count and in a delta. So the counts start at the count minus the deltas this statement sees. One statement
-- reads both tables in one snapshot, so every change is counted exactly once: a change this statement sees is in its
-- count and subtracted with its delta, which the reads add back; a later one is only in its delta.
--
-- It reads the whole inbox once (a sequential scan, about 0.4 s per million events on the 2-core test machine), and
-- locks nothing the intake or the engine waits for: it only reads inbox_event and inserts into a table no one else
-- writes yet (the fold starts with this version).
INSERT INTO inbox_status_count (status, events)
SELECT status, SUM(events)
FROM (SELECT status, COUNT(*) AS events FROM inbox_event GROUP BY status
      UNION ALL
      SELECT status, -SUM(events) FROM inbox_status_delta GROUP BY status) counted
GROUP BY status;
