public import SalvageCore

extension ProcessTemporalClient: TemporalChanging {
  public func command(for change: TemporalChange, context: ChangeContext) throws -> [String] {
    let argv: [String]
    switch change {
    case .setCurrentVersion(let version):
      argv = arguments.setCurrentVersion(version, context: context)
    case .setRampingVersion(let version, let percentage):
      argv = arguments.setRampingVersion(version, percentage: percentage, context: context)
    case .removeRamp(let deployment):
      argv = arguments.removeRamp(deployment: deployment, context: context)
    case .updateOptions(let query, let version):
      argv = arguments.updateOptions(query: try Self.render(query), pinTo: version, context: context)
    case .resetWithMove(let query, let target, let version):
      argv = arguments.resetWithMove(
        query: try Self.render(query), to: target, pinTo: version, context: context)
    case .deleteVersion(let version):
      argv = arguments.deleteVersion(version, context: context)
    }
    return ArgumentRedactor.redact(argv)
  }

  public func perform(_ change: TemporalChange, context: ChangeContext) throws -> BatchJobID? {
    switch change {
    case .setCurrentVersion(let version):
      try setCurrentVersion(version, context: context)
    case .setRampingVersion(let version, let percentage):
      try setRampingVersion(version, percentage: percentage, context: context)
    case .removeRamp(let deployment):
      try removeRamp(deployment: deployment, context: context)
    case .updateOptions(let query, let version):
      return try updateOptions(matching: query, pinTo: version, context: context)
    case .resetWithMove(let query, let target, let version):
      return try resetWithMove(matching: query, to: target, pinTo: version, context: context)
    case .deleteVersion(let version):
      try deleteVersion(version, context: context)
    }
    return nil
  }

  static func render(_ query: VisibilityQuery) throws -> String {
    do {
      return try query.rendered()
    } catch {
      throw TemporalError.invalidQuery(error.description)
    }
  }
}
