-- The journal's events: append-only, gapless global position, contiguous version per incident.
-- Shipped: never edit this file; add a new numbered file instead.
CREATE TABLE events (
  position       INTEGER PRIMARY KEY,           -- rowid: gapless because nothing is ever deleted
  event_id       TEXT    NOT NULL UNIQUE,       -- UUIDv7 chosen by the caller, for idempotent retry
  incident       TEXT    NOT NULL,
  version        INTEGER NOT NULL CHECK (version >= 1),
  type           TEXT    NOT NULL,              -- frozen type name of the payload
  schema_version INTEGER NOT NULL CHECK (schema_version >= 1),
  payload        TEXT    NOT NULL,              -- canonical JSON (sorted keys)
  recorded_at    TEXT    NOT NULL,              -- UTC, 2026-11-25T03:12:45.120Z
  actor          TEXT    NOT NULL,
  hash           BLOB    NOT NULL CHECK (length(hash) = 32),  -- SHA-256(previous hash || canonical bytes)
  UNIQUE (incident, version)
) STRICT;

CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'salvage journal events are append-only: UPDATE refused');
END;

CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'salvage journal events are append-only: DELETE refused');
END;

-- The projection checkpoint of each incident, written in the same transaction as its events.
CREATE TABLE checkpoints (
  incident TEXT    PRIMARY KEY,
  version  INTEGER NOT NULL,                    -- the incident version the state covers
  position INTEGER NOT NULL,                    -- the global position of that last event
  phase    TEXT,                                -- IncidentPhase raw value, NULL before opening
  is_open  INTEGER NOT NULL CHECK (is_open IN (0, 1)),
  format   INTEGER NOT NULL,                    -- IncidentState.format that wrote `state`
  state    TEXT    NOT NULL                     -- IncidentState as JSON
) STRICT;
