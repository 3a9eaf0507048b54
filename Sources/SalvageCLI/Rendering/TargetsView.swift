import Foundation
import SalvageCore

/// `salvage targets`: the compensation list as a table for people, CSV for spreadsheets and
/// compensation tooling, JSON for scripts. Times are UTC; an unknown new run is an empty cell.
enum TargetsView {
  static let header = [
    "workflow_id", "workflow_type", "status_before", "done", "old_run_id", "new_run_id",
    "batch_job", "action",
    "time_utc", "note",
  ]

  static func cells(_ row: CompensationRow) -> [String] {
    [
      row.workflowID, row.workflowType, row.statusBefore?.rawValue ?? "", row.done.rawValue,
      row.oldRunID,
      row.newRunID ?? "", row.batchJob ?? "", row.action, row.at.description, row.note ?? "",
    ]
  }

  static func csv(_ rows: [CompensationRow]) -> String {
    CSV.document([header] + rows.map(cells))
  }

  static func json(_ rows: [CompensationRow]) throws -> String {
    try JSONOutput.render(rows) + "\n"
  }

  /// Aligned columns, every cell on one line (``VisibleText/flat(_:)``); a row count at the end.
  static func table(_ rows: [CompensationRow]) -> String {
    let names = [
      "WORKFLOW ID", "TYPE", "BEFORE", "DONE", "OLD RUN", "NEW RUN", "BATCH JOB", "TIME (UTC)",
      "NOTE",
    ]
    let body = rows.map { row in
      cells(row).enumerated().filter { $0.offset != 7 }.map { VisibleText.flat($0.element) }
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
