#!/bin/sh
# Stands in for `temporal workflow list -o jsonl` in the ingest figure: prints the prepared file.
exec cat "$SALVAGE_BENCH_LIST"
