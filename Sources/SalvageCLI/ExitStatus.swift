import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal
import SalvageTemporal

/// The documented exit codes of `salvage` (README, "Exit codes"). Frozen: scripts depend on them.
enum ExitStatus: Int32 {
  /// Done.
  case success = 0
  /// An unexpected failure: a bug or an environment problem; the message says which.
  case failure = 1
  /// `verify` found the journal damaged; the message names the first bad position.
  case journalDoesNotVerify = 2
  /// The incident is unknown, ambiguous, already exists, or is closed.
  case incident = 3
  /// The journal cannot be used: missing, unreadable, not SQLite, not a journal, newer schema.
  case journal = 4
  /// Another operator kept appending to the incident; nothing was written, try again.
  case conflict = 5
  /// Another run drives this incident (a live lease, even the same operator's); wait, or
  /// `--take-over`. Also a run of an incident this journal sealed or holds as a read-only copy.
  case leaseHeld = 6
  /// `run`: a strategy decision is needed; the message names the command that records it.
  case needsDecision = 10
  /// `run`: the operator must act outside salvage first (stop the bad workers); then run again.
  case needsOperator = 11
  /// `run`: a change was not confirmed (no terminal to ask, and no --yes). Nothing was changed.
  case declined = 13
  /// Temporal refused or failed a call; the message has its first line. Journaled work is kept.
  case temporal = 20
  /// Help was asked for and printed.
  case helpShown = 63
  /// Bad arguments or input: the message says which; nothing was written.
  case usage = 64
  /// A disk is full: the journal's (the write that failed recorded nothing; everything before it
  /// is kept), or the one standard output goes to. Also standard output that cannot be written.
  case diskFull = 74
  /// Standard output (or error) is a pipe whose reader has gone (`| head -1`): salvage stopped
  /// writing and stopped, quietly, as a shell reports a process SIGPIPE killed. Journaled work is kept.
  case outputClosed = 141

  init(for error: any Error) {
    switch error {
    case let error as CommandError: self = error.status
    case JournalError.diskFull: self = .diskFull
    case is JournalError: self = .journal
    case is AppendError: self = .conflict
    case is InputError: self = .usage
    case is TemporalError: self = .temporal
    case is ConnectionConfigurationError: self = .usage
    case RunbookError.leaseLost, RunbookError.leaseHeld, RunbookError.notDrivable:
      self = .leaseHeld
    case RunbookError.batchNotOurs: self = .incident
    case is RunbookError: self = .failure
    default:
      let code = SalvageCommand.exitCode(for: error)
      if code == .success {
        self = .success
      } else if code == .validationFailure {
        self = .usage
      } else {
        self = .failure
      }
      if code == .success, SalvageCommand.message(for: error).isEmpty == false {
        self = .helpShown
      }
    }
  }

  /// One line describing the error, without ArgumentParser's usage block.
  static func message(for error: any Error) -> String {
    let text: String =
      switch error {
      case let error as CommandError: error.description
      case let error as JournalError: error.description
      case let error as AppendError: error.description
      case let error as InputError: error.description
      case let error as TemporalError: error.description
      case let error as RunbookError: error.description
      default: SalvageCommand.message(for: error)
      }
    let line = text.split(whereSeparator: \.isNewline).first.map(String.init)
    return VisibleText.escaped((line ?? "failed").replacingOccurrences(of: "Error: ", with: ""))
  }
}

/// A failure the CLI itself detects, with its exit status.
struct CommandError: Error, CustomStringConvertible {
  let status: ExitStatus
  let description: String

  static func incident(_ message: String) -> CommandError {
    CommandError(status: .incident, description: message)
  }

  static func usage(_ message: String) -> CommandError {
    CommandError(status: .usage, description: message)
  }
}
