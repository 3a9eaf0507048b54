import Foundation
public import SalvageCore
import SalvageFakes
public import SalvageTemporal
import Synchronization

extension Scenario {
  /// Clients by scenario (its directory), not by address: a later scenario's server can get an
  /// earlier one's port, and a connection to the stopped server would fail fast until it backs off.
  private static let clients = Mutex<[String: GRPCTemporalClient]>([:])

  /// A native client for this scenario's server, in plaintext, with no user configuration: one
  /// connection per scenario, shared by its tests, closed when the scenario goes down.
  public var client: GRPCTemporalClient {
    get throws {
      let key = directory.url.path
      if let client = Self.clients.withLock({ $0[key] }) { return client }
      let (host, port) = try hostAndPort
      let client = try GRPCTemporalClient.connect(
        GRPCEndpoint(host: host, port: port, namespace: "default"))
      Self.clients.withLock { $0[key] = client }
      return client
    }
  }

  /// Forgets this scenario's client; its connection closes when the last copy goes.
  func forgetClient() {
    _ = Self.clients.withLock { $0.removeValue(forKey: directory.url.path) }
  }

  /// The server's host and port.
  public var hostAndPort: (String, Int) {
    get throws {
      guard let colon = address.lastIndex(of: ":"),
        let port = Int(address[address.index(after: colon)...])
      else {
        throw TemporalError.unexpectedResponse(call: "scenario", reason: "no port in \(address)")
      }
      return (String(address[..<colon]), port)
    }
  }

  public func version(_ build: String) -> WorkerDeploymentVersion {
    WorkerDeploymentVersion(
      deploymentName: deployment, buildID: settings["build_\(build)"] ?? build)
  }
}
