import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

@Suite(.tags(.integration)) struct VersionTests {
  /// The commit the tests' own source tree is at, as git says; `nil` outside a git clone. Asked of
  /// the package's own `.git` (a directory, or a worktree's file), never of a repository around
  /// it, as the plugin does. (A commit made between the build and the tests fails these tests
  /// until the next build stamps it.) Asked once, by a task: git runs on a thread of its own.
  static var sourceCommit: String? { get async { await sourceCommitAsked.value } }

  private static let sourceCommitAsked = Task<String?, Never> {
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    guard
      let result = try? await runChildProcess(
        URL(fileURLWithPath: "/usr/bin/env"),
        ["git", "--git-dir", package.appendingPathComponent(".git").path, "rev-parse", "HEAD"],
        environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]),
      result.status == 0
    else { return nil }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test func theVersionFlagAndTheVersionCommandNameTheReleaseTheCommitAndTheTemporalAPI()
    async throws
  {
    // Given salvage built from this source tree
    // When the operator asks for its version both ways
    let flag = try await SalvageProcess.run(["--version"])
    let command = try await SalvageProcess.run(["version"])

    // Then both print one and the same line, and exit 0
    #expect(flag.status == 0)
    #expect(command.status == 0)
    #expect(flag.stdout == command.stdout)
    #expect(flag.stderr.isEmpty)
    // And the line names the release, the commit it was built from, and the Temporal API
    let commit = await Self.sourceCommit.map { "commit \($0.prefix(12))" } ?? "commit unknown"
    #expect(flag.stdout == "salvage 0.1.0 (\(commit), Temporal API v1.63.5+)\n")
  }

  @Test func theVersionInJSONCarriesTheWholeCommitHash() async throws {
    // Given salvage built from this source tree
    // When the version is asked for as JSON
    let result = try await SalvageProcess.run(["version", "--output", "json"])

    // Then it has the release, the full 40-digit commit and the Temporal API version
    #expect(result.status == 0)
    let view = try JSONDecoder().decode(View.self, from: Data(result.stdout.utf8))
    #expect(view.release == "0.1.0")
    #expect(view.temporalAPI == "v1.63.5+")
    let sourceCommit = await Self.sourceCommit
    #expect(view.commit == sourceCommit)
    if let commit = view.commit {
      #expect(commit.count == 40 && commit.allSatisfy(\.isHexDigit))
    }
  }

  private struct View: Decodable {
    let release: String
    let commit: String?
    let temporalAPI: String
  }
}

@Suite(.tags(.integration)) struct BuildCommitTests {
  static let hash = "0123456789abcdef0123456789abcdef01234567"

  /// Runs the plugin's tool on a git directory laid out by `files` and returns the hash it wrote.
  func stamped(_ files: [String: String]) async throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "build-commit-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    for (path, content) in files {
      let file = directory.appendingPathComponent(path)
      try FileManager.default.createDirectory(
        at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try content.write(to: file, atomically: true, encoding: .utf8)
    }
    let tool = SalvageProcess.executable.deletingLastPathComponent().appendingPathComponent(
      "salvage-build-commit")
    let output = directory.appendingPathComponent("BuildCommit.swift")
    let result = try await runChildProcess(
      tool, [directory.appendingPathComponent("HEAD").path, directory.path, output.path])
    #expect(result.status == 0)
    let source = try String(contentsOf: output, encoding: .utf8)
    return try #require(source.split(separator: "\n").first { $0.contains("static let hash") })
      .split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
  }

  @Test func theToolReadsADetachedHeadALooseBranchAndAPackedOne() async throws {
    // Given HEAD detached, on a branch with its own file, and on a branch only in packed-refs
    // Then each names the commit HEAD leads to
    #expect(try await stamped(["HEAD": "\(Self.hash)\n"]) == "\"\(Self.hash)\"")
    #expect(
      try await stamped(["HEAD": "ref: refs/heads/main\n", "refs/heads/main": "\(Self.hash)\n"])
        == "\"\(Self.hash)\"")
    #expect(
      try await stamped([
        "HEAD": "ref: refs/heads/main\n",
        "packed-refs": "# pack-refs with: peeled\n\(Self.hash) refs/heads/main\n",
      ]) == "\"\(Self.hash)\"")
  }

  @Test func aHeadThatLeadsNowhereIsStampedAsNoCommit() async throws {
    // Given a branch that has no commit yet, and HEAD that is not a hash
    // Then the build names no commit rather than a wrong one
    #expect(try await stamped(["HEAD": "ref: refs/heads/new\n"]) == "nil")
    #expect(try await stamped(["HEAD": "not a hash\n"]) == "nil")
  }
}
