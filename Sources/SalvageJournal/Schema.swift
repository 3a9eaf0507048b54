/// The journal's SQL schema, embedded from `schema/*.sql` by `tools/embed-schema.sh`.
///
/// The schema version of a journal is SQLite's `user_version`: the number of migrations applied.
/// Its `application_id` marks the file as a salvage journal.
public enum Schema {
  /// One numbered SQL file.
  public struct Migration: Sendable {
    /// Its number, from 1 without gaps.
    public let version: Int
    /// Its file name without `.sql`.
    public let name: String
    /// Its SQL, run in one transaction.
    public let sql: String
  }

  /// The newest schema version this binary knows.
  public static var currentVersion: Int { migrations.count }

  /// `PRAGMA application_id` of every salvage journal: the ASCII bytes "SLVG".
  public static let applicationID: Int32 = 0x534C_5647
}
