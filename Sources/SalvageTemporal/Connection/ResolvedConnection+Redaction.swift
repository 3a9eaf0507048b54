extension ResolvedConnection: CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  /// What `salvage config` prints: one line per setting with where it came from, for example
  /// `address      127.0.0.1:7233   (TEMPORAL_ADDRESS)`. Secrets show only their length
  /// (`<redacted, 32 bytes>`), TLS data only its size; never a secret's value, in any form.
  public func redactedLines() -> [String] {
    var rows: [(label: String, value: String, source: Source?)] = []
    func add(_ field: Field, _ value: String) {
      rows.append((field.description, value, sources[field]))
    }
    rows.append(("config file", configFileText, nil))
    if let profile { rows.append(("profile", printable(profile), nil)) }
    add(.address, printable(address))
    add(.namespace, printable(namespace))
    add(.apiKey, apiKey?.description ?? "not set")
    add(.tls, tls == nil ? "off" : "on")
    if let tls {
      if let certificate = tls.clientCertificate {
        add(.clientCertificate, shown(certificate, secret: false))
      }
      if let key = tls.clientKey { add(.clientKey, shown(key, secret: true)) }
      if let serverCA = tls.serverCA { add(.serverCA, shown(serverCA, secret: false)) }
      if let serverName = tls.serverName { add(.serverName, printable(serverName)) }
      if sources[.disableHostVerification] != nil || tls.disableHostVerification {
        add(
          .disableHostVerification,
          tls.disableHostVerification ? "off (certificate not verified)" : "on")
      }
    }
    for (key, value) in grpcMeta.sorted(by: { $0.key < $1.key }) {
      add(.grpcMeta(key), value.description)
    }
    if let authority { add(.authority, printable(authority)) }
    if let codecEndpoint { add(.codecEndpoint, printable(codecEndpoint)) }
    if let codecAuth { add(.codecAuth, codecAuth.description) }
    let labelWidth = rows.map(\.label.count).max() ?? 0
    let valueWidth = min(rows.filter { $0.source != nil }.map(\.value.count).max() ?? 0, 40)
    return rows.map { row in
      let label = row.label.padding(to: labelWidth)
      guard let source = row.source else { return "\(label)  \(row.value)" }
      return "\(label)  \(row.value.padding(to: valueWidth))  (\(printable(source.description)))"
    }
  }

  /// `127.0.0.1:7233 namespace default, TLS on, API key set`: one line, no secret.
  public var description: String {
    "\(printable(address)) namespace \(printable(namespace)), TLS \(tls == nil ? "off" : "on"), "
      + "API key \(apiKey == nil ? "not set" : "set")"
  }

  /// The same as ``description``.
  public var debugDescription: String { description }

  /// The public settings only (secrets as ``Secret``), so `dump` shows no secret either.
  public var customMirror: Mirror {
    Mirror(
      self,
      children: [
        "host": host, "port": port, "namespace": namespace, "apiKey": apiKey as Any,
        "tls": tls as Any,
        "grpcMeta": grpcMeta, "authority": authority as Any, "codecEndpoint": codecEndpoint as Any,
        "codecAuth": codecAuth as Any, "configFile": configFile as Any, "profile": profile as Any,
        "sources": sources,
      ], displayStyle: .struct)
  }

  /// The config file line: the path and whether it was found, or why there is none.
  private var configFileText: String {
    guard let configFile else {
      return profile == nil
        ? "not read (--disable-config-file)" : "none (HOME unset or XDG_CONFIG_HOME relative)"
    }
    return printable(configFile) + (configFileExists ? "" : " (not found)")
  }

  /// A TLS item: its path, or only the size of its data.
  private func shown(_ material: TLSSettings.Material, secret: Bool) -> String {
    switch material {
    case .path(let path): "path \(printable(path))"
    case .data(let text): secret ? Secret(text).description : "data, \(text.utf8.count) bytes"
    }
  }
}

/// Operator text for one line: control characters escaped.
private func printable(_ text: String) -> String {
  var out = ""
  for scalar in text.unicodeScalars {
    if scalar.properties.generalCategory == .control {
      out += "\\u{\(String(scalar.value, radix: 16))}"
    } else {
      out.unicodeScalars.append(scalar)
    }
  }
  return out
}

extension String {
  /// Pads with spaces to `width` characters (longer text stays as it is).
  fileprivate func padding(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
