internal import SalvageCore

/// The `temporal` command a human would type for the same effect as each change: recorded beside
/// the request, printed by `--dry-run` and shown in the timeline, so the record stays readable and
/// copy-pasteable. Never run by salvage.
struct TemporalCommandLine: Sendable {
  /// `--address` and `--namespace`, as the operator would pass them.
  let connectionFlags: [String]

  init(address: String, namespace: String) {
    connectionFlags = ["--address", address, "--namespace", namespace]
  }

  func command(for change: TemporalChange, context: ChangeContext) throws -> [String] {
    // A change to the deployment goes as the identity it is managed by while salvage holds it.
    let context =
      change.changesDeployment
      ? ChangeContext(identity: context.deploymentIdentity, reason: context.reason) : context
    switch change {
    case .setCurrentVersion(let version, _):
      return command(
        ["worker", "deployment", "set-current-version"], version.flags + ["--yes"], context)
    case .setRampingVersion(let version, let percentage, _):
      return command(
        ["worker", "deployment", "set-ramping-version"],
        version.flags + ["--percentage", Self.number(percentage), "--yes"], context)
    case .removeRamp(let deployment, _):
      // Without --build-id: with it, --delete is a silent no-op.
      return command(
        ["worker", "deployment", "set-ramping-version"],
        ["--deployment-name", deployment, "--delete", "--yes"],
        context)
    case .setManager(let deployment, let to, _):
      return command(
        ["worker", "deployment", "manager-identity", to == nil ? "unset" : "set"],
        ["--deployment-name", deployment] + (to.map { ["--manager-identity", $0] } ?? []) + [
          "--yes"
        ],
        context)
    case .updateOptions(let query, let version, _):
      return command(
        ["workflow", "update-options"],
        ["--query", try GRPCTemporalClient.render(query)] + Self.pinned(version, context.overrides)
          + ["--reason", context.reason, "--yes"], context)
    case .unpin(let query, _, _):
      return command(
        ["workflow", "update-options"],
        [
          "--query", try GRPCTemporalClient.render(query), "--versioning-override-behavior",
          "unspecified", "--reason", context.reason, "--yes",
        ], context)
    case .resetWithMove(let query, let target, let version, _):
      return command(
        ["workflow", "reset", "with-workflow-update-options"],
        [
          "--query", try GRPCTemporalClient.render(query), "--type", target.rawValue,
          "--reapply-exclude", "All",
          "--reason", context.reason,
        ] + Self.pinned(version, context.overrides) + ["--yes"], context)
    case .resetRun(let workflowID, let runID, let version, _):
      return command(
        ["workflow", "reset", "with-workflow-update-options"],
        [
          "--workflow-id", workflowID, "--run-id", runID, "--type", "FirstWorkflowTask",
          "--reapply-exclude", "All", "--reason", context.reason,
        ] + Self.pinned(version, context.overrides) + ["--yes"], context)
    case .deleteVersion(let version):
      return command(["worker", "deployment", "delete-version"], version.flags, context)
    case .terminateRun(let workflowID, let runID):
      return command(
        ["workflow", "terminate"],
        ["--workflow-id", workflowID, "--run-id", runID, "--reason", context.reason, "--yes"],
        context)
    case .startAgain(let first, _, _, let reuse):
      // The nearest the CLI comes: it has no flag for the request id, the start's Versioning
      // Override or raw payloads. The recorded request holds all three (payloads redacted); the
      // input, memo, header and search attributes come from the first event of `first.runID`.
      return command(
        ["workflow", "start"],
        [
          "--workflow-id", first.workflowID, "--type", first.workflowType, "--task-queue",
          first.taskQueue,
          "--id-reuse-policy", reuse.rawValue, "--id-conflict-policy", "Fail",
        ], context)
    }
  }

  private func command(_ words: [String], _ flags: [String], _ context: ChangeContext) -> [String] {
    ["temporal"] + words + flags + connectionFlags + ["--identity", context.identity]
  }

  /// The override's flags; `one_time` needs a `temporal` newer than 1.8.2 (the CLI's main has it).
  private static func pinned(_ version: WorkerDeploymentVersion, _ kind: OverrideKind) -> [String] {
    [
      "--versioning-override-behavior", kind == .oneTime ? "one_time" : "pinned",
      "--versioning-override-deployment-name", version.deploymentName,
      "--versioning-override-build-id", version.buildID,
    ]
  }

  static func number(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}

extension WorkerDeploymentVersion {
  fileprivate var flags: [String] { ["--deployment-name", deploymentName, "--build-id", buildID] }
}
