-- The digest of a run's first history event, for runs frozen to be terminated and restarted: the
-- start sends the arguments of an event with this digest, or nothing. NULL for every other run.
-- Shipped: never edit this file; add a new numbered file instead.
ALTER TABLE execution_sets ADD COLUMN first_event TEXT;
