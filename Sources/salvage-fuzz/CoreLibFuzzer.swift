#if LIBFUZZER
  // Compiled only by `tools/fuzz --libfuzzer`, with PayloadInput.swift, as the salvage-libfuzzer
  // target (Package.swift, SALVAGE_LIBFUZZER): every module of that build, SalvageCore,
  // SalvageJSON and swift-crypto included, is built with `--sanitize fuzzer --sanitize address`,
  // so libFuzzer's coverage guidance sees the decoders' code.
  import Foundation
  import SalvageCore
  import SalvageJSON

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
    let failure = PayloadInput(bytes).check(codec: ReaderCodec())
    precondition(failure == nil, failure ?? "")
    return 0
  }

  /// The journal's codec (SalvageJournal's `FastJSONCodec`, not in this module): SalvageJSON's
  /// reader and canonical encoder.
  struct ReaderCodec: JSONCodec {
    func encode(_ value: some Encodable) throws -> Data { try CanonicalJSONEncoder.data(value) }
    func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
      try PayloadDecoder.decode(type, from: bytes)
    }
  }
#endif
