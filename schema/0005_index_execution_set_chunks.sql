-- Frozen sets are read one chunk at a time (each closed-reset chunk reads its own runs): this index
-- finds a chunk's runs without reading the whole set (about 2.3 s a chunk at a million frozen runs
-- without it, 3 ms with it). Partial: identifications have no chunks, and their inserts stay as fast.
-- Shipped: never edit this file; add a new numbered file instead.
CREATE INDEX execution_sets_by_chunk ON execution_sets (event_id, chunk, run_id) WHERE chunk IS NOT NULL;
