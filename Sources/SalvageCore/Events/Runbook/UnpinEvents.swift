/// What `salvage unpin` found, before it removed anything: each Running execution of the
/// incident's workflow ids (and their children's) that visibility shows on a build salvage pinned
/// to, described one by one. The runs to unpin are stored beside the event, each with its chunk
/// (one batch each); the runs left pinned are listed here with the reason.
public struct OverridesReviewed: EventPayload {
  public static let typeName = "OverridesReviewed"
  public static let schemaVersion = 1

  /// The builds salvage pinned to whose overrides were reviewed.
  public let builds: [String]
  /// How many runs to unpin, in how many batches, and the build each batch's runs are pinned to.
  public let count: Int
  public let chunkSizes: [Int]
  public let chunkBuilds: [String]
  /// Of ``count``, the runs whose own behavior is Pinned to the build they are pinned to: unpinned,
  /// they stay on it until they close, so that build cannot be retired before then.
  public let stayOnBuild: Int
  /// Runs found with no Versioning Override (already unpinned, or never pinned): nothing to do.
  public let noOverride: Int
  /// How many runs were left pinned (unpinned, they would go back to the bad build, have no
  /// behavior of their own yet, follow routing away from their build, or someone else pinned them
  /// elsewhere).
  public let leftPinnedCount: Int
  /// The first ``listedLimit`` of them, each `left-alone` with the reason.
  public let leftPinned: [RunResetOutcome]
  public let digest: String

  /// How many left-pinned runs an event names: a long-lived fleet on multi-day timers can leave
  /// thousands pinned at every review, and each review is a new event.
  public static let listedLimit = 100

  public init(
    builds: [String], count: Int, chunkSizes: [Int], chunkBuilds: [String], stayOnBuild: Int,
    noOverride: Int, leftPinnedCount: Int, leftPinned: [RunResetOutcome], digest: String
  ) {
    self.leftPinnedCount = leftPinnedCount
    self.builds = builds
    self.count = count
    self.chunkSizes = chunkSizes
    self.chunkBuilds = chunkBuilds
    self.stayOnBuild = stayOnBuild
    self.noOverride = noOverride
    self.leftPinned = leftPinned
    self.digest = digest
  }
}
