extension RunbookProgress {
  /// Batches launched and not seen to finish, oldest first, each with its last recorded counts:
  /// `job-7 of recover-OrderWorkflow-1: 120/300 done, 0 failed, still running`.
  public var runningBatches: [String] {
    actions.compactMap { action in
      guard let job = action.batchJob, action.outcome?.isDone == true,
        batches[action.id]?.finished != true
      else { return nil }
      return "\(job) of \(action.id): "
        + (batches[action.id]?.counts ?? "running, no counts recorded yet")
    }
  }
}
