-- Large facts named by one event: the executions an identification found, or the closed runs
-- frozen for reset. Written in the same transaction as that event; the event holds their digest.
-- Shipped: never edit this file; add a new numbered file instead.
CREATE TABLE execution_sets (
  event_id      TEXT    NOT NULL,               -- the event that names this set
  workflow_id   TEXT    NOT NULL,
  run_id        TEXT    NOT NULL,
  workflow_type TEXT    NOT NULL,
  status        TEXT    NOT NULL,               -- ExecutionStatus as visibility names it
  problems      INTEGER NOT NULL CHECK (problems IN (0, 1)),  -- had TemporalReportedProblems
  chunk         INTEGER,                        -- reset chunk, for frozen closed targets
  PRIMARY KEY (event_id, run_id)
) STRICT;

CREATE TRIGGER execution_sets_refuse_update BEFORE UPDATE ON execution_sets
BEGIN
  SELECT RAISE(ABORT, 'salvage execution sets are append-only: UPDATE refused');
END;

CREATE TRIGGER execution_sets_refuse_delete BEFORE DELETE ON execution_sets
BEGIN
  SELECT RAISE(ABORT, 'salvage execution sets are append-only: DELETE refused');
END;
