import ArgumentParser

/// `--output` of `status` and `verify`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// `--output` of `log`.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, jsonl
}
