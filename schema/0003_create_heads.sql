-- Each incident's phase and whether it is open, rewritten in the same transaction as the event
-- that changes them (most events change neither), so finding the incident to act on never
-- decodes a state. From this migration on, the state snapshot in `checkpoints` is rewritten only
-- every so many events; readers replay the events after it.
-- Shipped: never edit this file; add a new numbered file instead.
CREATE TABLE heads (
  incident TEXT    PRIMARY KEY,
  phase    TEXT,                                -- IncidentPhase raw value, NULL before opening
  is_open  INTEGER NOT NULL CHECK (is_open IN (0, 1))
) STRICT;

INSERT INTO heads (incident, phase, is_open) SELECT incident, phase, is_open FROM checkpoints;
