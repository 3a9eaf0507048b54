import Foundation
import SalvageCore

/// `salvage targets`: the compensation list as a table for people, CSV for spreadsheets and
/// compensation tooling, JSON for scripts. Times are UTC; an unknown new run is an empty cell.
/// With a Web UI address, each row also links its old and new run's history page.
enum TargetsView {
  static let header = [
    "workflow_id", "workflow_type", "status_before", "done", "old_run_id", "new_run_id",
    "batch_job", "action",
    "time_utc", "note", "pinned_to",
  ]

  static func cells(_ row: CompensationRow) -> [String] {
    [
      row.workflowID, row.workflowType, row.statusBefore?.rawValue ?? "", row.done.rawValue,
      row.oldRunID,
      row.newRunID ?? "", row.batchJob ?? "", row.action, row.at.description, row.note ?? "",
      row.pinnedTo ?? "",
    ]
  }

  /// The old and new run's pages; the new one empty when the new run is not known.
  static func linkCells(_ row: CompensationRow, _ links: WebUILinks) -> [String] {
    [
      links.workflow(row.workflowID, run: row.oldRunID),
      row.newRunID.map { links.workflow(row.workflowID, run: $0) } ?? "",
    ]
  }

  static func csv(_ rows: [CompensationRow], links: WebUILinks? = nil) -> String {
    guard let links else { return CSV.document([header] + rows.map(cells)) }
    return CSV.document(
      [header + ["old_run_url", "new_run_url"]]
        + rows.map { cells($0) + linkCells($0, links) })
  }

  static func json(_ rows: [CompensationRow], links: WebUILinks? = nil) throws -> String {
    guard let links else { return try JSONOutput.render(rows) + "\n" }
    return try JSONOutput.render(rows.map { LinkedRow(row: $0, links: linkCells($0, links)) })
      + "\n"
  }

  /// A row with its links, as JSON: the row's own fields, then `oldRunURL` and `newRunURL`.
  struct LinkedRow: Encodable {
    let row: CompensationRow
    let links: [String]

    private enum CodingKeys: String, CodingKey { case oldRunURL, newRunURL }

    func encode(to encoder: any Encoder) throws {
      try row.encode(to: encoder)
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(links[0], forKey: .oldRunURL)
      try container.encode(links[1].isEmpty ? nil : links[1], forKey: .newRunURL)
    }
  }

  /// Aligned columns, every cell on one line (``VisibleText/flat(_:)``); a row count at the end.
  static func table(_ rows: [CompensationRow], links: WebUILinks? = nil) -> String {
    let names =
      [
        "WORKFLOW ID", "TYPE", "BEFORE", "DONE", "OLD RUN", "NEW RUN", "BATCH JOB", "TIME (UTC)",
        "NOTE", "PINNED TO",
      ] + (links == nil ? [] : ["OLD RUN IN THE UI"])
    let body = rows.map { row in
      cells(row).enumerated().filter { $0.offset != 7 }.map { VisibleText.flat($0.element) }
        + (links.map { [linkCells(row, $0)[0]] } ?? [])
    }
    let widths = names.indices.map { column in
      ([names] + body).map { $0[column].count }.max() ?? 0
    }
    func line(_ cells: [String]) -> String {
      zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(
        separator: "  "
      )
      .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
    let count = rows.count == 1 ? "1 execution" : "\(rows.count) executions"
    return
      ([line(names)] + body.map(line) + [
        "\(count) acted on (new run empty: not known from a batch)"
      ])
      .joined(separator: "\n") + "\n"
  }
}
