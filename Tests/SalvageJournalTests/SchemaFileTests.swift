import Foundation
import SalvageJournal
import Testing

/// `schema/*.sql` is the source of truth; `Schema+Generated.swift` must match it exactly.
@Suite struct SchemaFileTests {
  static let schemaDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("schema")

  @Test func theEmbeddedSchemaMatchesTheSQLFiles() throws {
    // Given the numbered SQL files
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.schemaDirectory.path)
      .filter { $0.hasSuffix(".sql") }.sorted()
    #expect(!files.isEmpty)
    // Then the generated Swift embeds exactly those, in order (rerun tools/embed-schema.sh if not)
    #expect(Schema.migrations.map(\.name) == files.map { String($0.dropLast(4)) })
    #expect(Schema.migrations.map(\.version) == Array(1...files.count))
    for (migration, file) in zip(Schema.migrations, files) {
      var text = try String(
        contentsOf: Self.schemaDirectory.appendingPathComponent(file), encoding: .utf8)
      if text.hasSuffix("\n") { text.removeLast() }
      #expect(migration.sql == text, "Schema+Generated.swift is stale for \(file)")
    }
  }
}
