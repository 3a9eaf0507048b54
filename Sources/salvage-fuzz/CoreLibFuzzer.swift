#if LIBFUZZER
  // Compiled only by `tools/fuzz --libfuzzer`, together with SalvageCore's sources as one module
  // (swiftc -sanitize=fuzzer,address), so libFuzzer's coverage guidance sees the decoders' code.
  import Foundation

  /// The libFuzzer entry point: `SALVAGE_FUZZ_TARGET` picks `payload` (the default) or `policy`.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func salvageFuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    if ProcessInfo.processInfo.environment["SALVAGE_FUZZ_TARGET"] == "policy" {
      do {
        _ = try DecisionPolicy.checked(Data(bytes), name: "policy.json")
      } catch {
        precondition(!String(describing: error).contains("\n"), "a multi-line InputError")
      }
      return 0
    }
    let newline = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
    let type = String(decoding: bytes[..<newline], as: UTF8.self)
    let payload = Data(bytes[min(newline + 1, bytes.endIndex)...])
    do {
      _ = try IncidentEvent.decode(type: type, schemaVersion: 1, payload: payload)
    } catch {
      // Typed throws: only EventDecodingError reaches here; its message must be one line.
      precondition(!error.description.contains("\n"), "a multi-line EventDecodingError")
    }
    _ = try? PayloadDecoder.withDocument(payload) { document in document.member("type") }
    return 0
  }
#endif
