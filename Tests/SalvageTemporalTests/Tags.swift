import Testing

extension Tag {
  /// Tests that spawn processes, touch real files or talk to a real Temporal dev server.
  @Tag static var integration: Self
}
