import Crypto
import Foundation
public import SalvageCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The Ed25519 key a journal signs its exports with: made on first use and kept in a file only its
/// owner can read (`JOURNAL.key` by default), its public half beside it (`JOURNAL.key.pub`) to give
/// to whoever imports the exports (`import --trust-key`). The private key is never exported,
/// printed or journaled: only ``publicKey`` travels, in each export's header.
public struct ExportSigningKey {
  private let key: Curve25519.Signing.PrivateKey

  /// The public half as the export header and the `.pub` file carry it: `ed25519:BASE64`.
  public var publicKey: String { Self.text(of: key.publicKey) }

  /// The key in the file at `path`, made there (0600, `O_EXCL`) with its `.pub` if there is none.
  /// A key file that is a link, someone else's, or readable by others is refused.
  public static func loadOrCreate(at path: String) throws(InputError) -> ExportSigningKey {
    var info = stat()
    if lstat(path, &info) != 0 {
      guard errno == ENOENT else { throw failure(path) }
      let made = ExportSigningKey(key: Curve25519.Signing.PrivateKey())
      if try made.create(path) {
        try made.writePublic(path + ".pub")
        return made
      }
      guard lstat(path, &info) == 0 else { throw failure(path) }  // another process made it
    }
    let quoted = ShellQuoting.quote(path)
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw InputError("signing key \(path) is not a regular file (a symbolic link?)")
    }
    guard info.st_uid == geteuid() else {
      throw InputError(
        "signing key \(path) is owned by user id \(info.st_uid), not by this user; fix it with: "
          + "sudo chown \(geteuid()) \(quoted)")
    }
    guard info.st_mode & 0o077 == 0 else {
      throw InputError(
        "signing key \(path) has mode \(String(info.st_mode & 0o777, radix: 8)), so others than "
          + "its owner may read it; fix it with: chmod 600 \(quoted)")
    }
    guard let text = FileManager.default.contents(atPath: path),
      let line = String(data: text, encoding: .utf8)?.split(separator: " ").last,
      let raw = Data(base64Encoded: line.trimmingCharacters(in: .whitespacesAndNewlines)),
      let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    else { throw InputError("signing key \(path) is not a salvage signing key") }
    let loaded = ExportSigningKey(key: key)
    if access(path + ".pub", F_OK) != 0 { try loaded.writePublic(path + ".pub") }
    return loaded
  }

  /// The signature of `data`, base64.
  func sign(_ data: Data) throws -> String {
    try key.signature(for: data).base64EncodedString()
  }

  /// Whether `signature` (base64) is `publicKey`'s (`ed25519:BASE64`) over `data`.
  static func verify(_ signature: String, of data: Data, by publicKey: String) -> Bool {
    guard let key = parsePublic(publicKey), let bytes = Data(base64Encoded: signature) else {
      return false
    }
    return key.isValidSignature(bytes, for: data)
  }

  /// A public key's text (`ed25519:BASE64`, as a `.pub` file holds it) as exports name it, `nil`
  /// if it is not one.
  public static func publicKey(in text: String) -> String? {
    parsePublic(text).map(Self.text(of:))
  }

  /// The public key in `ed25519:BASE64` text, `nil` if it is not one.
  static func parsePublic(_ text: String) -> Curve25519.Signing.PublicKey? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard trimmed.hasPrefix("ed25519:"), let raw = Data(base64Encoded: String(trimmed.dropFirst(8)))
    else { return nil }
    return try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
  }

  static func text(of key: Curve25519.Signing.PublicKey) -> String {
    "ed25519:" + key.rawRepresentation.base64EncodedString()
  }

  /// Writes the key to a new file at `path`; `false` if one appeared there first.
  private func create(_ path: String) throws(InputError) -> Bool {
    let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard descriptor >= 0 else {
      if errno == EEXIST { return false }
      throw Self.failure(path)
    }
    let text = "salvage-ed25519-signing-key " + key.rawRepresentation.base64EncodedString() + "\n"
    guard fchmod(descriptor, 0o600) == 0, Self.write(text, to: descriptor),
      fsync(descriptor) == 0
    else {
      let error = Self.failure(path)
      close(descriptor)
      unlink(path)
      throw error
    }
    close(descriptor)
    return true
  }

  /// Writes the public half to `path`, 0600 like everything salvage writes, never through a link.
  private func writePublic(_ path: String) throws(InputError) {
    let descriptor = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard descriptor >= 0 else { throw Self.failure(path) }
    defer { close(descriptor) }
    guard fchmod(descriptor, 0o600) == 0, Self.write(publicKey + "\n", to: descriptor) else {
      throw Self.failure(path)
    }
  }

  private static func write(_ text: String, to descriptor: Int32) -> Bool {
    let bytes = Array(text.utf8)
    #if canImport(Glibc)
      return bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        == bytes.count
    #else
      return bytes.withUnsafeBytes { Darwin.write(descriptor, $0.baseAddress, $0.count) }
        == bytes.count
    #endif
  }

  private static func failure(_ path: String) -> InputError {
    InputError("cannot use signing key \(path): \(String(cString: strerror(errno)))")
  }
}
