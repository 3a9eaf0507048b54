import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Posts a notification's JSON to the webhook over HTTP or HTTPS (AsyncHTTPClient, TLS by
/// NIOSSL with the system's trust roots). Redirects are not followed: the body goes to the
/// address given or nowhere. Failures are described by kind, never by the address.
final class WebhookPost: Sendable {
  private let client: HTTPClient
  private let address: WebhookAddress

  init(_ address: WebhookAddress) {
    self.address = address
    var configuration = HTTPClient.Configuration()
    configuration.redirectConfiguration = .disallow
    client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
  }

  /// One post, within `timeout`.
  func callAsFunction(_ body: Data, timeout: Duration) async -> WebhookDelivery.PostResult {
    var request = HTTPClientRequest(url: address.url.absoluteString)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "User-Agent", value: "salvage")
    request.body = .bytes(ByteBuffer(bytes: body))
    let nanoseconds =
      timeout.components.seconds * 1_000_000_000
      + timeout.components.attoseconds / 1_000_000_000
    do {
      let response = try await client.execute(request, timeout: .nanoseconds(nanoseconds))
      // Read (at most 64 KiB of) the answer, so the connection can be used again.
      _ = try? await response.body.collect(upTo: 65_536)
      return .status(Int(response.status.code))
    } catch {
      return .failed(Self.reason(error, timeout: timeout))
    }
  }

  /// Lets the client go once no post is in flight.
  func shutdown() async {
    try? await client.shutdown()
  }

  /// What went wrong, by kind only: an error's own text may quote the address.
  static func reason(_ error: any Error, timeout: Duration) -> String {
    switch error {
    case let error as HTTPClientError
    where [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(error):
      "no answer within \(timeout.components.seconds) s"
    case let error as HTTPClientError where error == .cancelled:
      "cancelled at the end of the run"
    case is CancellationError:
      "cancelled at the end of the run"
    case is NIOConnectionError, is IOError, is ChannelError:
      "could not connect"
    case let error as HTTPClientError where error == .remoteConnectionClosed:
      "the connection closed before an answer"
    default:
      "failed (\(String(describing: type(of: error))))"
    }
  }
}
