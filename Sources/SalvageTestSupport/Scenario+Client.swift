public import SalvageCore
public import SalvageTemporal
import Synchronization

extension Scenario {
  /// Clients by server address: one connection per scenario, shared by its tests.
  private static let clients = Mutex<[String: GRPCTemporalClient]>([:])

  /// A native client for this scenario's server, in plaintext, with no user configuration.
  public var client: GRPCTemporalClient {
    get throws {
      if let client = Self.clients.withLock({ $0[address] }) { return client }
      let (host, port) = try hostAndPort
      let client = try GRPCTemporalClient.connect(GRPCEndpoint(host: host, port: port, namespace: "default"))
      Self.clients.withLock { $0[address] = client }
      return client
    }
  }

  /// The server's host and port.
  public var hostAndPort: (String, Int) {
    get throws {
      guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
        throw TemporalError.unexpectedResponse(call: "scenario", reason: "no port in \(address)")
      }
      return (String(address[..<colon]), port)
    }
  }

  public func version(_ build: String) -> WorkerDeploymentVersion {
    WorkerDeploymentVersion(deploymentName: deployment, buildID: settings["build_\(build)"] ?? build)
  }
}

