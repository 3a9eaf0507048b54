internal import GRPCCore

/// The deserializer of `ListWorkflowExecutions` answers: ``ListPageReader`` over the received bytes
/// in place, instead of swift-protobuf's generated message (``GRPCTemporalClient/list(_:_:)``).
struct ListPageDeserializer: MessageDeserializer {
  func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> ListedPage
  {
    do {
      return try serializedMessageBytes.withUnsafeBytes { try ListPageReader.read($0) }
    } catch {
      // As grpc-swift-protobuf's deserializer reports a message it cannot read.
      throw RPCError(
        code: .invalidArgument,
        message: "Can't read the ListWorkflowExecutions answer: \(error)", cause: error)
    }
  }
}
