/* The baseline for salvage's rebuild figure: a raw scan of the same rows, in the same order,
 * touching every column the projection reads, straight through libsqlite3.
 * Usage: scan-c PATH    prints the seconds the scan took (and the row count on stderr). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: scan-c PATH\n"); return 64; }
  sqlite3 *db;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, 0) != SQLITE_OK) {
    fprintf(stderr, "scan-c: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  sqlite3_stmt *scan;
  if (sqlite3_prepare_v2(db,
      "SELECT position, event_id, incident, version, type, schema_version, payload, recorded_at, actor, hash"
      " FROM events ORDER BY position", -1, &scan, 0) != SQLITE_OK) {
    fprintf(stderr, "scan-c: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  long rows = 0;
  unsigned long checksum = 0;
  while (sqlite3_step(scan) == SQLITE_ROW) {
    for (int column = 0; column < 10; column++) {
      if (column == 0 || column == 3 || column == 5) {
        checksum += (unsigned long)sqlite3_column_int64(scan, column);
      } else {
        const unsigned char *bytes = column == 9 ? sqlite3_column_blob(scan, column) : sqlite3_column_text(scan, column);
        int size = sqlite3_column_bytes(scan, column);
        if (size > 0) checksum += bytes[size - 1];
      }
    }
    rows++;
  }
  sqlite3_finalize(scan);
  clock_gettime(CLOCK_MONOTONIC, &end);
  printf("%.6f\n", (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
  fprintf(stderr, "scanned %ld rows (checksum %lu)\n", rows, checksum);
  sqlite3_close(db);
  return 0;
}
