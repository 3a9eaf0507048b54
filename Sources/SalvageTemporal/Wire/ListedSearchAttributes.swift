import Foundation
internal import SalvageCore

/// The search attributes salvage reads from a listed execution's `SearchAttributes`
/// (`indexed_fields`, a map of name to `Payload`): for each name, the payload of its last map entry,
/// kept as offsets into the page until the execution is read, then decoded (``ListedValueCache``).
/// Entries of other names are skipped without reading their payloads.
struct ListedSearchAttributes {
  /// The names read; every other search attribute stays undecoded.
  static let names = [
    "TemporalWorkerDeploymentVersion", "TemporalWorkflowVersioningBehavior",
    "TemporalReportedProblems",
  ]
  private static let nameBytes = names.map { Array($0.utf8) }

  /// By their index in ``names``.
  private(set) var deploymentVersion: ListedPayload?
  private(set) var versioningBehavior: ListedPayload?
  private(set) var reportedProblems: ListedPayload?

  /// Reads one occurrence of `search_attributes` (maps merge entry by entry).
  mutating func merge(_ reader: inout WireReader) throws(WireFormatError) {
    while !reader.isAtEnd {
      let (field, wire) = try reader.tag()
      guard field == 1, wire == .lengthDelimited else {
        try reader.skip(wire, field: field)
        continue
      }
      try entry(try reader.message())
    }
  }

  /// One `indexed_fields` entry (key 1, value 2): its key is found first, and its payload kept
  /// only when the name is one salvage reads.
  private mutating func entry(_ entry: WireReader) throws(WireFormatError) {
    var scan = entry
    var key: Range<Int>?
    var value: Range<Int>?
    var values = 0
    while !scan.isAtEnd {
      let (field, wire) = try scan.tag()
      switch (field, wire) {
      case (1, .lengthDelimited): key = try scan.lengthDelimited()
      case (2, .lengthDelimited):
        value = try scan.lengthDelimited()
        values += 1
      default: try scan.skip(wire, field: field)
      }
    }
    // No key is the empty name, which is none of salvage's.
    guard let key, let slot = Self.nameBytes.firstIndex(where: { entry.holds(key, $0) }) else {
      return
    }
    var payload = ListedPayload()
    if values == 1, let value {
      payload = ListedPayload(message: value)
    } else if values > 1 {
      // The value's occurrences merge, as an embedded message's do.
      var again = entry
      while !again.isAtEnd {
        let (field, wire) = try again.tag()
        if field == 2, wire == .lengthDelimited {
          var occurrence = try again.message()
          try payload.merge(&occurrence)
        } else {
          try again.skip(wire, field: field)
        }
      }
    }
    switch slot {
    case 0: deploymentVersion = payload
    case 1: versioningBehavior = payload
    default: reportedProblems = payload
    }
  }
}

/// A `Payload` (`metadata` 1, a map of string to bytes; `data` 2) as offsets into the page: only
/// its data and the value of its `encoding` metadata entry, read when first needed.
struct ListedPayload {
  /// The bytes of its one occurrence, until they are read (then nil).
  private(set) var message: Range<Int>?
  /// Empty when never set.
  private var data: Range<Int>?
  /// The last `encoding` entry's value; nil when there is none.
  private var encoding: Range<Int>?

  /// A payload that never occurred: no data, no encoding.
  init() {}

  /// The payload in the message at `range`, not read yet.
  init(message range: Range<Int>) {
    message = range
  }

  /// The payload with its message read, if it was not yet.
  func read(_ reader: WireReader) throws(WireFormatError) -> ListedPayload {
    guard let message else { return self }
    var payload = ListedPayload()
    var body = reader.message(message)
    try payload.merge(&body)
    return payload
  }

  /// Reads one occurrence of the payload.
  mutating func merge(_ reader: inout WireReader) throws(WireFormatError) {
    while !reader.isAtEnd {
      let (field, wire) = try reader.tag()
      switch (field, wire) {
      case (1, .lengthDelimited):
        var entry = try reader.message()
        var key: Range<Int>?
        var value: Range<Int>?
        while !entry.isAtEnd {
          let (field, wire) = try entry.tag()
          switch (field, wire) {
          case (1, .lengthDelimited): key = try entry.lengthDelimited()
          case (2, .lengthDelimited): value = try entry.lengthDelimited()
          default: try entry.skip(wire, field: field)
          }
        }
        if let key, reader.holds(key, Self.encodingKey) {
          // An entry without a value holds empty bytes.
          encoding = value ?? key.upperBound..<key.upperBound
        }
      case (2, .lengthDelimited): data = try reader.lengthDelimited()
      default: try reader.skip(wire, field: field)
      }
    }
  }

  private static let encodingKey = Array("encoding".utf8)

  /// Whether `other` (both read) has the same data and encoding, byte for byte: then it has the
  /// same value.
  func same(as other: ListedPayload, _ reader: WireReader) -> Bool {
    let empty = 0..<0
    guard reader.same(data ?? empty, other.data ?? empty) else { return false }
    switch (encoding, other.encoding) {
    case (nil, nil): return true
    case (let mine?, let theirs?): return reader.same(mine, theirs)
    default: return false
    }
  }

  /// The value of a payload that was read.
  func value(_ reader: WireReader) -> SearchAttributeValue? {
    PayloadValues.decode(
      data: data.map { reader.bytes($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0),
      encoding: encoding.map { reader.bytes($0) })
  }
}
