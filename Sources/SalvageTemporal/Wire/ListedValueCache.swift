internal import SalvageCore
internal import SalvageJSON

/// What a page's reader decoded last, reused while the bytes repeat. Identification lists the runs
/// pinned to one version: their Workflow Types and search attributes are mostly the same bytes from
/// one execution to the next, so most executions decode no payload, share one of a few dictionaries
/// of values, and copy no type name. A value depends only on its bytes, so a hit gives what decoding
/// them again would.
struct ListedValueCache {
  /// The last payload decoded for one of ``ListedSearchAttributes/names``.
  private struct Slot {
    /// The payload's message bytes, when it had one occurrence.
    let message: Range<Int>?
    /// Read.
    let payload: ListedPayload
    let value: SearchAttributeValue?
    /// Tells this value from every other the page decoded (dictionaries are keyed by it).
    let generation: Int
  }

  /// Which value each name has (its slot's generation), or -1 for none.
  private struct Key: Equatable {
    let version: Int
    let behavior: Int
    let problems: Int
  }

  private var slots: [Slot?] = [nil, nil, nil]
  private var generations = 0
  /// The last few dictionaries made, newest replacing the oldest.
  private var dictionaries: [(key: Key, values: [String: SearchAttributeValue])] = []
  private var oldest = 0
  private var typeBytes: Range<Int>?
  private var typeName = ""

  /// The values of an execution's search attributes, as `PayloadValues.decode(_:only:)` gives them.
  mutating func values(_ attributes: ListedSearchAttributes, _ reader: WireReader)
    throws(WireFormatError) -> [String: SearchAttributeValue]
  {
    let version = try value(0, attributes.deploymentVersion, reader)
    let behavior = try value(1, attributes.versioningBehavior, reader)
    let problems = try value(2, attributes.reportedProblems, reader)
    let key = Key(version: version.key, behavior: behavior.key, problems: problems.key)
    guard key != Key(version: -1, behavior: -1, problems: -1) else { return [:] }
    if let made = dictionaries.first(where: { $0.key == key }) { return made.values }
    let names = ListedSearchAttributes.names
    var values = [String: SearchAttributeValue](minimumCapacity: 3)
    if let value = version.value { values[names[0]] = value }
    if let value = behavior.value { values[names[1]] = value }
    if let value = problems.value { values[names[2]] = value }
    if dictionaries.count < 4 {
      dictionaries.append((key, values))
    } else {
      dictionaries[oldest] = (key, values)
      oldest = (oldest + 1) % dictionaries.count
    }
    return values
  }

  private mutating func value(_ index: Int, _ listed: ListedPayload?, _ reader: WireReader)
    throws(WireFormatError) -> (value: SearchAttributeValue?, key: Int)
  {
    guard let listed else { return (nil, -1) }
    // The same message bytes as the last one's, or (read) the same data and encoding.
    if let slot = slots[index] {
      if let message = listed.message, let last = slot.message, reader.same(message, last) {
        return (slot.value, slot.value == nil ? -1 : slot.generation)
      }
    }
    let payload = try listed.read(reader)
    if let slot = slots[index], slot.payload.same(as: payload, reader) {
      slots[index] = Slot(
        message: listed.message, payload: payload, value: slot.value, generation: slot.generation)
      return (slot.value, slot.value == nil ? -1 : slot.generation)
    }
    let value = payload.value(reader)
    generations += 1
    slots[index] = Slot(
      message: listed.message, payload: payload, value: value, generation: generations)
    return (value, value == nil ? -1 : generations)
  }

  /// A Workflow Type's name: a `string` field's value (the body of the field whose tag `reader`
  /// just read), the last one's String when the bytes are the same.
  mutating func typeName(_ reader: inout WireReader) throws(WireFormatError) -> String {
    let body = try reader.lengthDelimited()
    if let last = typeBytes, reader.same(last, body) { return typeName }
    guard let name = UTF8Text.string(reader.bytes(body)) else {
      throw WireFormatError(.invalidUTF8, at: reader.fieldStart)
    }
    typeBytes = body
    typeName = name
    return name
  }
}
