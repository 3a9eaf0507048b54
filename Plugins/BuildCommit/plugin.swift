import Foundation
import PackagePlugin

/// Stamps the CLI with the commit it is built from: `salvage-build-commit` reads the package's
/// git HEAD and writes `BuildCommit.swift` into the build's own directory (never into the repo: a
/// commit cannot hold its own hash). The command runs again whenever HEAD or the branch it names
/// moves, so `salvage --version` never names a stale commit.
@main
struct BuildCommit: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
    let output = context.pluginWorkDirectoryURL.appending(path: "BuildCommit.swift")
    let git = GitFiles(package: context.package.directoryURL)
    return [
      .buildCommand(
        displayName: "Stamping salvage with its commit",
        executable: try context.tool(named: "salvage-build-commit").url,
        arguments: [git?.head.path ?? "-", git?.common.path ?? "-", output.path],
        inputFiles: git?.inputs ?? [],
        outputFiles: [output])
    ]
  }
}

/// Where a clone (or a worktree, whose `.git` is a file naming its git directory) keeps HEAD, and
/// the files the build watches to know HEAD moved: HEAD itself (a checkout) and HEAD's reflog
/// (`logs/HEAD`, one line more at every commit, checkout, reset or rebase in this worktree). Never
/// a branch's own ref file: SwiftPM keeps the inputs it planned until the package changes, so a
/// watched ref would go stale at the next checkout, and one that `git gc` packs away would fail
/// the build for a missing input.
struct GitFiles {
  let head: URL
  let common: URL
  let inputs: [URL]

  init?(package: URL) {
    let dotGit = package.appending(path: ".git")
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dotGit.path, isDirectory: &isDirectory) else {
      return nil
    }
    var gitDirectory = dotGit
    if !isDirectory.boolValue {
      guard let text = try? String(contentsOf: dotGit, encoding: .utf8),
        text.hasPrefix("gitdir:")
      else { return nil }
      let path = text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
      gitDirectory = URL(fileURLWithPath: path, relativeTo: package).standardizedFileURL
    }
    head = gitDirectory.appending(path: "HEAD")
    if let shared = try? String(
      contentsOf: gitDirectory.appending(path: "commondir"), encoding: .utf8)
    {
      common = URL(
        fileURLWithPath: shared.trimmingCharacters(in: .whitespacesAndNewlines),
        relativeTo: gitDirectory
      ).standardizedFileURL
    } else {
      common = gitDirectory
    }
    let reflog = gitDirectory.appending(path: "logs/HEAD")
    inputs = [head] + (FileManager.default.fileExists(atPath: reflog.path) ? [reflog] : [])
  }
}
