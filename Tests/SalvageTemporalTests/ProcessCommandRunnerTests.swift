import Foundation
import SalvageCore
import SalvageTemporal
import Testing

/// The live runner, exercised with small system programs.
@Suite(.tags(.integration)) struct ProcessCommandRunnerTests {
  let runner = ProcessCommandRunner()

  @Test func argumentsReachTheProgramVerbatimWithoutAShell() throws {
    let output = try runner.run(["printf", "%s|", "a b", "$HOME", "'quoted'", "*"], timeout: 10)
    #expect(output.status == 0)
    #expect(String(decoding: output.stdout, as: UTF8.self) == "a b|$HOME|'quoted'|*|")
  }

  @Test func stderrAndTheExitStatusAreCaptured() throws {
    let output = try runner.run(["ls", "/definitely/not/here"], timeout: 10)
    #expect(output.status != 0)
    #expect(output.firstErrorLine.contains("/definitely/not/here"))
  }

  @Test func stdoutPastItsLimitIsCutAndFlagged() throws {
    var limited = runner
    limited.stdoutLimit = 1000
    let output = try limited.run(["head", "-c", "1000000", "/dev/zero"], timeout: 10)
    #expect(output.stdout.count == 1000)
    #expect(output.truncated)
  }

  @Test func streamedOutputArrivesLineByLine() throws {
    var lines: [String] = []
    let output = try runner.stream(["seq", "1", "5000"], timeout: 10) {
      lines.append(String(decoding: $0, as: UTF8.self))
    }
    #expect(output.status == 0)
    #expect(lines.count == 5000)
    #expect(lines.first == "1")
    #expect(lines.last == "5000")
  }

  @Test func aHungProgramIsKilledAtItsTimeout() throws {
    let started = Date()
    #expect(throws: TemporalError.timedOut(command: "sleep 30", seconds: 1)) {
      _ = try runner.run(["sleep", "30"], timeout: 1)
    }
    #expect(Date().timeIntervalSince(started) < 10)
  }

  @Test func aMissingProgramIsReportedByName() {
    #expect(throws: TemporalError.executableNotFound("temporal-that-does-not-exist")) {
      _ = try runner.run(["temporal-that-does-not-exist", "workflow", "count"], timeout: 5)
    }
  }

  @Test func theProgramReadsNothingFromStdin() throws {
    // Given a program that would wait for input, when stdin is /dev/null, then it ends at once
    let output = try runner.run(["cat"], timeout: 5)
    #expect(output.status == 0)
    #expect(output.stdout.isEmpty)
  }
}
