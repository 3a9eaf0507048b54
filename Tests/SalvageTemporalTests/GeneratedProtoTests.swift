import Crypto
import Foundation
import SwiftProtobuf
import Testing

@testable import SalvageTemporal

/// `proto/` is the source of truth for `Sources/SalvageTemporal/Generated/`. tools/generate-proto
/// writes both the Swift and `proto/SOURCES.sha256`: a digest over the .proto files, then the hash
/// of every generated file. These tests recompute both, so they need no protoc.
@Suite struct GeneratedProtoTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let protoDirectory = root.appendingPathComponent("proto")
  static let generatedPath = "Sources/SalvageTemporal/Generated"

  /// proto/SOURCES.sha256: comment lines, then "<hex>  proto", then "<hex>  <generated file>".
  struct Manifest {
    var protoDigest: String?
    var generated: [String: String] = [:]

    init(_ text: String) {
      for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        let parts = line.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { continue }
        let hash = String(parts[0])
        let name = parts[1].trimmingCharacters(in: .whitespaces)
        if name == "proto" { protoDigest = hash } else { generated[name] = hash }
      }
    }
  }

  static func manifest() throws -> Manifest {
    Manifest(
      try String(
        contentsOf: protoDirectory.appendingPathComponent("SOURCES.sha256"), encoding: .utf8))
  }

  static func hex(_ digest: SHA256.Digest) -> String {
    digest.map { String(format: "%02x", $0) }.joined()
  }

  /// The .proto paths under `directory`, relative to it and sorted bytewise (as `LC_ALL=C sort`).
  static func protoPaths(in directory: URL) throws -> [String] {
    let base = directory.standardizedFileURL.path + "/"
    var paths: [String] = []
    let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
    while let url = walker?.nextObject() as? URL {
      let path = url.standardizedFileURL.path
      if path.hasSuffix(".proto"), path.hasPrefix(base) {
        paths.append(String(path.dropFirst(base.count)))
      }
    }
    return paths.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
  }

  @Test func generatedMessagesMatchTheirProtoSources() throws {
    // Given the digest tools/generate-proto recorded when it last generated the Swift
    let recorded = try #require(
      try Self.manifest().protoDigest, "proto/SOURCES.sha256 has no proto line")
    let paths = try Self.protoPaths(in: Self.protoDirectory)
    #expect(paths.contains("temporal/api/workflowservice/v1/service.proto"))

    // When the digest is recomputed over each path and its contents, in order
    var hasher = SHA256()
    for path in paths {
      hasher.update(data: Data((path + "\n").utf8))
      hasher.update(data: try Data(contentsOf: Self.protoDirectory.appendingPathComponent(path)))
    }

    // Then proto/ is what the committed Swift was generated from
    #expect(
      Self.hex(hasher.finalize()) == recorded,
      "proto/ changed without regeneration: run tools/generate-proto")
  }

  @Test func everyGeneratedFileIsListedAndUnedited() throws {
    // Given the generated files the manifest lists, with their hashes
    let listed = try Self.manifest().generated
    #expect(
      listed.keys.contains(
        "\(Self.generatedPath)/temporal_api_workflowservice_v1_service.grpc.swift"))

    // When Generated/ is listed and each file hashed
    let directory = Self.root.appendingPathComponent(Self.generatedPath)
    var found: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
      let data = try Data(contentsOf: directory.appendingPathComponent(name))
      found["\(Self.generatedPath)/\(name)"] = Self.hex(SHA256.hash(data: data))
    }

    // Then they are exactly the files tools/generate-proto wrote, byte for byte
    let unlisted = Set(found.keys).subtracting(listed.keys).sorted()
    let missing = Set(listed.keys).subtracting(found.keys).sorted()
    #expect(
      unlisted.isEmpty, "not written by tools/generate-proto: \(unlisted); run tools/generate-proto"
    )
    #expect(missing.isEmpty, "missing from Generated/: \(missing); run tools/generate-proto")
    for (name, hash) in listed.sorted(by: { $0.key < $1.key }) where found[name] != nil {
      #expect(
        found[name] == hash,
        "\(name) was edited by hand: change proto/ and run tools/generate-proto")
    }
  }

  @Test func aDescribeBatchOperationRequestEncodesNamespaceAsField1AndJobIDAsField2() throws {
    // Given a request with both fields set
    let request = Temporal_Api_Workflowservice_V1_DescribeBatchOperationRequest.with {
      $0.namespace = "default"
      $0.jobID = "job-1"
    }

    // When it is serialized
    let bytes: [UInt8] = try request.serializedBytes()

    // Then each is length-delimited under its upstream field number (tag = number << 3 | 2)
    #expect(bytes == [0x0A, 7] + Array("default".utf8) + [0x12, 5] + Array("job-1".utf8))
  }

  @Test func fieldsLeftOutOfTheSubsetAreSkippedOnDecode() throws {
    // Given a DescribeBatchOperationResponse as a newer server sends it: job_id (2), a field this
    // subset lacks (99, a string), then reason (10)
    let wire: [UInt8] =
      [0x12, 3] + Array("j-1".utf8) + [0x9A, 0x06, 2] + Array("zz".utf8) + [0x52, 2]
      + Array("ok".utf8)

    // When it is decoded
    let response = try Temporal_Api_Workflowservice_V1_DescribeBatchOperationResponse(
      serializedBytes: wire)

    // Then the known fields decode and the unknown one is kept aside, not an error
    #expect(response.jobID == "j-1")
    #expect(response.reason == "ok")
    #expect(response.unknownFields.data == Data([0x9A, 0x06, 2] + Array("zz".utf8)))
  }

  @Test func errorDetailsPackUnderTheirUpstreamTypeURL() throws {
    // Given a NotFoundFailure, as the server packs it into google.rpc.Status details
    let failure = Temporal_Api_Errordetails_V1_NotFoundFailure.with { $0.currentCluster = "active" }

    // When it goes through google.protobuf.Any and back
    let any = try Google_Protobuf_Any(message: failure)
    let unpacked = try Temporal_Api_Errordetails_V1_NotFoundFailure(unpackingAny: any)

    // Then the type URL names the real package, so the server's details unpack into our type
    #expect(any.typeURL == "type.googleapis.com/temporal.api.errordetails.v1.NotFoundFailure")
    #expect(unpacked.currentCluster == "active")
    #expect(any.isA(Temporal_Api_Errordetails_V1_ResourceExhaustedFailure.self) == false)
  }
}
