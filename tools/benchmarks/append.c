/* The baseline for salvage's append figures: the same NoteAdded events, the same table, the same
 * pragmas (WAL, synchronous=FULL, busy timeout, BEGIN IMMEDIATE), straight through libsqlite3.
 * It does the least work that could store those rows: no JSON encoding, no hash computation (a
 * fixed 32-byte hash is stored), no version check, no checkpoint.
 * Usage: append-c PATH EVENTS BATCH SCHEMA.sql    prints the seconds the appends took. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void check(int rc, sqlite3 *db, const char *what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "append-c: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
}

static char *slurp(const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file) { perror(path); exit(1); }
  fseek(file, 0, SEEK_END);
  long size = ftell(file);
  fseek(file, 0, SEEK_SET);
  char *text = malloc(size + 1);
  if (fread(text, 1, size, file) != (size_t)size) { perror(path); exit(1); }
  text[size] = 0;
  fclose(file);
  return text;
}

int main(int argc, char **argv) {
  if (argc != 5) { fprintf(stderr, "usage: append-c PATH EVENTS BATCH SCHEMA.sql\n"); return 64; }
  long events = atol(argv[2]), batch = atol(argv[3]);
  sqlite3 *db;
  check(sqlite3_open(argv[1], &db), db, "open");
  check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", 0, 0, 0), db, "pragmas");
  sqlite3_busy_timeout(db, 30000);
  check(sqlite3_exec(db, slurp(argv[4]), 0, 0, 0), db, "schema");
  sqlite3_stmt *insert;
  check(sqlite3_prepare_v2(db,
    "INSERT INTO events (event_id, incident, version, type, schema_version, payload, recorded_at, actor, hash)"
    " VALUES (?, 'bench-1', ?, 'NoteAdded', 1, ?, '2026-11-25T03:12:45.120Z', 'bench', ?)", -1, &insert, 0), db, "prepare");
  unsigned char hash[32];
  memset(hash, 7, sizeof hash);
  char id[64], payload[96];
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (long written = 0; written < events;) {
    check(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0), db, "begin");
    for (long i = 0; i < batch && written < events; i++, written++) {
      snprintf(id, sizeof id, "01a21300-0000-7000-8000-%012ld", written);
      snprintf(payload, sizeof payload, "{\"text\":\"bench note %ld\"}", written);
      sqlite3_bind_text(insert, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert, 2, written + 1);
      sqlite3_bind_text(insert, 3, payload, -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob(insert, 4, hash, sizeof hash, SQLITE_STATIC);
      check(sqlite3_step(insert), db, "insert");
      sqlite3_reset(insert);
    }
    check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  printf("%.6f\n", (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return 0;
}
