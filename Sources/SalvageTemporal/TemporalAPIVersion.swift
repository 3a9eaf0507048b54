/// The Temporal API release `proto/` (salvage's own subset of temporalio/api, names and numbers
/// as upstream) was taken from. Change it whenever `proto/` is refreshed.
///
/// Every message, field, enum value and method of the subset is in temporalio/api v1.63.5 (the
/// API server 1.32.0 is built with) but for two enum values added upstream after that tag
/// (`RESOURCE_EXHAUSTED_CAUSE_BANDWIDTH_LIMIT`, `EXECUTION_TYPE_NEXUS_OPERATION`), which salvage
/// does not use: hence the `+`.
public enum TemporalAPIVersion {
  public static let release = "v1.63.5+"
}
