-- Execution sets written from this migration on are stored a block of runs to a row, not a run
-- to a row: an identification of 200,000 runs is 200 rows, not 200,000 rows and as many entries
-- in the primary key's index (journaling them took 0.6 s of the ingest figure's 1.4 s, most of it
-- SQLite's per-row work). Sets written before stay in execution_sets and are read from there.
-- A block holds up to 1,000 runs of one reset chunk (or of none), sorted by run id, in the
-- encoding of Sources/SalvageJournal/ExecutionBlock.swift; a set's blocks are numbered from 0 in
-- chunk order, then run-id order. Written in the same transaction as the event that names the set.
-- A chunk's read searches its set's blocks by the primary key and passes over the other chunks'
-- by their chunk column, without reading their runs: no index of its own (a million frozen runs
-- are 1,000 blocks).
-- Shipped: never edit this file; add a new numbered file instead.
CREATE TABLE execution_blocks (
  event_id TEXT    NOT NULL,                    -- the event that names this set
  block    INTEGER NOT NULL CHECK (block >= 0),
  chunk    INTEGER,                             -- reset chunk of every run in the block, if any
  runs     BLOB    NOT NULL,                    -- ExecutionBlock's encoding
  PRIMARY KEY (event_id, block)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER execution_blocks_refuse_update BEFORE UPDATE ON execution_blocks
BEGIN
  SELECT RAISE(ABORT, 'salvage execution sets are append-only: UPDATE refused');
END;

CREATE TRIGGER execution_blocks_refuse_delete BEFORE DELETE ON execution_blocks
BEGIN
  SELECT RAISE(ABORT, 'salvage execution sets are append-only: DELETE refused');
END;
