/// One `salvage run` process: the unit that holds an incident's lease.
///
/// Like Kubernetes leader election's `hostname_uuid` identity, the operator's name is not enough:
/// the same engineer in two terminals is two runs. `runID` is random per process; `host` and
/// `pid` let a run on the same host tell whether the holder's process is still there.
public struct RunIdentity: Codable, Equatable, Sendable {
  /// A random id chosen when the process starts.
  public let runID: String
  /// The operator the run acts for.
  public let operatorName: String
  public let host: String
  public let pid: Int

  public init(runID: String, operatorName: String, host: String, pid: Int) {
    self.runID = runID
    self.operatorName = operatorName
    self.host = host
    self.pid = pid
  }
}
