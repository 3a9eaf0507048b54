/// Bytes as lowercase hexadecimal, two digits a byte: how every digest, hash and id salvage
/// writes is spelled (execution-set digests, event hashes, first-event digests, action ids).
public enum Hex {
  public static func lowercase<Bytes: Collection>(_ bytes: Bytes) -> String
  where Bytes.Element == UInt8 {
    let digits: StaticString = "0123456789abcdef"
    return String(unsafeUninitializedCapacity: 2 * bytes.count) { out in
      for (index, byte) in bytes.enumerated() {
        out[2 * index] = digits.utf8Start[Int(byte >> 4)]
        out[2 * index + 1] = digits.utf8Start[Int(byte & 0x0F)]
      }
      return 2 * bytes.count
    }
  }
}
