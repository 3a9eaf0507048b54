/// How a versioned worker says its Workflows move between versions (the server's
/// `VersioningBehavior`): stay on the version they started on, or follow the deployment's routing
/// at their next Workflow Task.
public enum VersioningBehavior: String, Equatable, Sendable {
  case pinned
  case autoUpgrade
}
