/// A deployment's routing as a test double holds it: the Current and Ramping builds, and the ramp.
public struct DeploymentRouting: Equatable, Sendable {
  public var current: String?
  public var ramping: String?
  public var percentage: Double

  public init(current: String?, ramping: String? = nil, percentage: Double = 0) {
    self.current = current
    self.ramping = ramping
    self.percentage = percentage
  }
}
