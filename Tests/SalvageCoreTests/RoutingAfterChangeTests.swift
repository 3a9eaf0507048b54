import SalvageCore
import Testing

/// The routing a change leaves, the one rule the dry run's planner and the in-process cluster
/// both follow (`RolloutObserved.after(_:)`).
@Suite struct RoutingAfterChangeTests {
  let good = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v1")
  let bad = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v2")
  let rampingBad = RolloutObserved(currentBuild: "v1", rampingBuild: "v2", rampPercentage: 40)

  @Test("A new Current that was ramping ends its ramp, as the server does")
  func aNewCurrentThatWasRampingEndsItsRamp() {
    // Given v2 ramping at 40 % beside Current v1
    // When v2 becomes Current
    let after = rampingBad.after(.setCurrentVersion(bad, replacing: rampingBad))
    // Then v2 is Current and nothing ramps
    #expect(after == RolloutObserved(currentBuild: "v2", rampingBuild: nil, rampPercentage: 0))
  }

  @Test("A ramp set to 0 stays a ramp until it is removed, and a manager set changes only that")
  func aRampSetToZeroStaysUntilRemovedAndAManagerChangesOnlyThat() {
    // Given v2 ramping at 40 %
    // When the ramp goes to 0, then is removed, then a manager is set
    let zero = rampingBad.after(.setRampingVersion(bad, percentage: 0, replacing: rampingBad))
    let removed = zero?.after(.removeRamp(deployment: "orders", replacing: rampingBad))
    let managed = removed?.after(
      .setManager(deployment: "orders", to: "salvage/inc-1", replacing: rampingBad))
    // Then each step changed exactly what it names
    #expect(zero == RolloutObserved(currentBuild: "v1", rampingBuild: "v2", rampPercentage: 0))
    #expect(removed == RolloutObserved(currentBuild: "v1", rampingBuild: nil, rampPercentage: 0))
    #expect(
      managed
        == RolloutObserved(
          currentBuild: "v1", rampingBuild: nil, rampPercentage: 0, managerIdentity: "salvage/inc-1"
        ))
  }

  @Test("A change that does not route leaves no routing of its own")
  func aChangeThatDoesNotRouteLeavesNoRouting() {
    // Given any routing; when a version is deleted; then the rule has nothing to say
    #expect(rampingBad.after(.deleteVersion(bad)) == nil)
  }
}
