-- The head of each incident: its latest version, position, hash and phase, updated by every
-- append in the same transaction as its events. Appends check versions and chain hashes against
-- it, and listing incidents reads it, without decoding any state. From this migration on the
-- state snapshot in `checkpoints` is rewritten only every so many events; readers replay the
-- events after it.
-- Shipped: never edit this file; add a new numbered file instead.
CREATE TABLE heads (
  incident TEXT    PRIMARY KEY,
  version  INTEGER NOT NULL CHECK (version >= 1),
  position INTEGER NOT NULL,                    -- the global position of the incident's last event
  hash     BLOB    NOT NULL CHECK (length(hash) = 32),  -- that event's chain hash
  phase    TEXT,                                -- IncidentPhase raw value, NULL before opening
  is_open  INTEGER NOT NULL CHECK (is_open IN (0, 1))
) STRICT;

INSERT INTO heads (incident, version, position, hash, phase, is_open)
SELECT checkpoints.incident, checkpoints.version, checkpoints.position, events.hash,
       checkpoints.phase, checkpoints.is_open
FROM checkpoints JOIN events ON events.position = checkpoints.position;
