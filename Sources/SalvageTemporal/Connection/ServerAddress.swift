/// A server address salvage can dial: `host:port`, `[IPv6]:port`, or either after `dns:///`.
///
/// Stricter than the CLI on purpose. The CLI hands the text to gRPC-Go, which dials port 443 when
/// the port is missing (`localhost` becomes `localhost:443`), takes service names as ports and
/// accepts any registered resolver scheme (`passthrough:///`, `unix://`); salvage refuses all of
/// those with a one-line reason rather than dial somewhere the operator did not write.
struct ServerAddress: Equatable, Sendable {
  /// The host name or IP address, without brackets.
  var host: String
  /// The TCP port, 1 to 65535.
  var port: Int

  /// Why an address is refused, completing "the address 'x' (from y) …".
  struct Refusal: Error, Equatable {
    let reason: String
  }

  /// Parses an address, or says why it cannot be dialled.
  static func parse(_ text: String) throws(Refusal) -> ServerAddress {
    var rest = Substring(text)
    if rest.unicodeScalars.contains(where: {
      $0.properties.isWhitespace || $0.properties.generalCategory == .control
    }) {
      throw Refusal(reason: "contains a space or a control character")
    }
    if let scheme = rest.firstRange(of: "://") {
      let name = rest[..<scheme.lowerBound].lowercased()
      guard name == "dns" else {
        throw Refusal(
          reason: "uses the gRPC scheme '\(name)', which salvage does not support: write host:port")
      }
      rest = rest[scheme.upperBound...]
      guard rest.first == "/" else {
        throw Refusal(
          reason:
            "names a DNS server (dns://server/…), which salvage does not support: write dns:///host:port"
        )
      }
      rest = rest.dropFirst()
    }
    let host: Substring
    let port: Substring
    if rest.first == "[" {
      guard let close = rest.firstIndex(of: "]") else {
        throw Refusal(reason: "has an unclosed '['")
      }
      host = rest[rest.index(after: rest.startIndex)..<close]
      let after = rest[rest.index(after: close)...]
      guard after.first == ":" else { throw Refusal(reason: "has no port: write [\(host)]:7233") }
      port = after.dropFirst()
    } else {
      let colons = rest.filter { $0 == ":" }.count
      if colons > 1 {
        throw Refusal(reason: "needs brackets around an IPv6 address: write [::1]:7233")
      }
      guard let colon = rest.firstIndex(of: ":") else {
        throw Refusal(reason: "has no port: write \(rest):7233")
      }
      host = rest[..<colon]
      port = rest[rest.index(after: colon)...]
    }
    guard !host.isEmpty else { throw Refusal(reason: "has no host") }
    guard !port.isEmpty else { throw Refusal(reason: "has no port after ':'") }
    guard port.allSatisfy(\.isASCIIDigit) else {
      throw Refusal(reason: "has a port that is not a number")
    }
    guard port.count <= 5, let number = Int(port), (1...65535).contains(number) else {
      throw Refusal(
        reason: "has port \(port.count > 8 ? port.prefix(8) + "…" : port), outside 1-65535")
    }
    return ServerAddress(host: String(host), port: number)
  }

  /// `host:port`, with brackets around an IPv6 host.
  var text: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension Character {
  /// An ASCII `0` to `9` (not every Unicode digit, which `isNumber` would allow).
  fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
