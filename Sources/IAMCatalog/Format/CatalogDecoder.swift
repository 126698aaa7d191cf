/// Reads the compact catalog form (see ``CatalogFormat``) in one pass over its bytes,
/// checking its structure, its order and its counts.
///
/// Strings stay where they are in the input; only escaped fields are copied, unescaped,
/// after it. Loading therefore allocates a few flat arrays whatever the size of the catalog.
struct CatalogDecoder {
  /// Decodes a compact catalog.
  ///
  /// - Parameter file: the file name for error messages.
  /// - Complexity: O(n) in the length of `input`.
  static func decode(_ input: [UInt8], file: String?) throws(CatalogLoadError) -> CatalogStorage {
    let tables = try input.withUnsafeBufferPointer { (buffer) throws(CatalogLoadError) -> Tables in
      var decoder = CatalogDecoder(bytes: buffer, file: file)
      try decoder.readLines()
      return try decoder.finish()
    }
    return CatalogStorage(
      source: tables.source, commit: tables.header[.commit], packageVersion: tables.header[.packageVersion],
      dataDate: tables.header[.dataDate], bytes: input + tables.unescaped, lowercasedNames: tables.lowercasedNames,
      services: tables.services, actions: tables.actions, actionResourceTypes: tables.actionResourceTypes,
      resourceTypes: tables.resourceTypes, conditionKeys: tables.conditionKeys, listItems: tables.listItems)
  }

  /// What decoding produces, before it becomes a ``CatalogStorage``.
  struct Tables {
    var source = ""
    var header: [CatalogFormat.HeaderKey: String] = [:]
    var unescaped: [UInt8] = []
    var lowercasedNames: [UInt8] = []
    var services: [ServiceRecord] = []
    var actions: [ActionRecord] = []
    var actionResourceTypes: [ActionResourceTypeRecord] = []
    var resourceTypes: [ResourceTypeRecord] = []
    var conditionKeys: [ConditionKeyRecord] = []
    var listItems: [TextRef] = []
  }

  /// Which records may come next.
  private enum Stage: Int, Comparable {
    case header, actions, resourceTypes, conditionKeys

    static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.rawValue < rhs.rawValue }
  }

  private let bytes: UnsafeBufferPointer<UInt8>
  private let file: String?
  private var tables = Tables()
  private var line = 0
  private var stage = Stage.header
  /// The fields of the current line, reused from line to line.
  private var fields: [Range<Int>] = []
  /// Level texts seen so far with their classic level; a catalog has only a few distinct ones.
  private var levels: [(text: TextRef, level: AccessLevel)] = []
  /// Whether any byte was not ASCII, in which case the input is checked to be UTF-8.
  private var sawNonASCII = false

  private init(bytes: UnsafeBufferPointer<UInt8>, file: String?) {
    self.bytes = bytes
    self.file = file
    let estimatedLines = bytes.count / 38
    tables.actions.reserveCapacity(estimatedLines / 2)
    tables.actionResourceTypes.reserveCapacity(estimatedLines / 2)
    tables.listItems.reserveCapacity(estimatedLines)
    tables.lowercasedNames.reserveCapacity(estimatedLines * 10)
  }

  /// An error on the current line.
  private func fail(_ message: String) -> CatalogLoadError {
    CatalogLoadError(file: file, line: line, message: message)
  }

  /// An error about the catalog as a whole.
  private func failWhole(_ message: String) -> CatalogLoadError {
    CatalogLoadError(file: file, message: message)
  }

  private mutating func readLines() throws(CatalogLoadError) {
    var offset = 0
    var highBits: UInt8 = 0
    while offset < bytes.count {
      line += 1
      var end = offset
      while end < bytes.count && bytes[end] != CatalogFormat.newline {
        highBits |= bytes[end]
        end += 1
      }
      var contentEnd = end
      if contentEnd > offset && bytes[contentEnd - 1] == CatalogFormat.carriageReturn { contentEnd -= 1 }
      if line == 1 {
        try readMagic(offset..<contentEnd)
      } else if contentEnd > offset && bytes[offset] != CatalogFormat.comment {
        try readRecord(offset..<contentEnd)
      }
      offset = end + 1
    }
    if line == 0 { throw failWhole("the catalog is empty") }
    sawNonASCII = highBits & 0x80 != 0
  }

  private mutating func readMagic(_ range: Range<Int>) throws(CatalogLoadError) {
    split(range)
    guard fields.count == 2, text(fields[0]) == CatalogFormat.magic else {
      throw fail("not an iamsim catalog: the first line must be `\(CatalogFormat.magic)<tab>\(CatalogFormat.version)`")
    }
    let version = text(fields[1])
    guard version == CatalogFormat.version else {
      throw fail("catalog format \(version) is not supported; this build reads format \(CatalogFormat.version)")
    }
  }

  private mutating func split(_ range: Range<Int>) {
    fields.removeAll(keepingCapacity: true)
    var start = range.lowerBound
    for index in range where bytes[index] == CatalogFormat.tab {
      fields.append(start..<index)
      start = index + 1
    }
    fields.append(start..<range.upperBound)
  }

  private mutating func readRecord(_ range: Range<Int>) throws(CatalogLoadError) {
    split(range)
    let tag = fields[0]
    guard tag.count == 1 else { return try readHeader() }
    switch bytes[tag.lowerBound] {
    case CatalogFormat.serviceTag: try readService()
    case CatalogFormat.actionTag: try readAction()
    case CatalogFormat.actionResourceTypeTag: try readActionResourceType()
    case CatalogFormat.resourceTypeTag: try readResourceType()
    case CatalogFormat.conditionKeyTag: try readConditionKey()
    default: throw fail("unknown record `\(text(tag))`")
    }
  }

  // MARK: Records

  private mutating func readHeader() throws(CatalogLoadError) {
    let name = text(fields[0])
    guard let key = CatalogFormat.HeaderKey(rawValue: name) else { throw fail("unknown header `\(name)`") }
    guard stage == .header else { throw fail("the header `\(name)` comes after the first service") }
    guard fields.count == 2 else { throw fail("the header `\(name)` needs exactly one value") }
    guard tables.header[key] == nil else { throw fail("the header `\(name)` repeats") }
    let ref = try textRef(fields[1])
    tables.header[key] = string(ref)
  }

  private mutating func readService() throws(CatalogLoadError) {
    try expectFields(3...3, "a service needs a prefix and a name")
    closeService()
    let prefix = try nonEmpty(fields[1], "service prefix")
    let prefixBytes = bytes(of: prefix)
    guard !prefixBytes.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else {
      throw fail("the service prefix `\(string(prefix))` must be lower-case")
    }
    if let previous = tables.services.last, !bytes(of: previous.prefix).lexicographicallyPrecedes(prefixBytes) {
      throw fail("the service `\(string(prefix))` must come after `\(string(previous.prefix))`, in order and once")
    }
    let name = try nonEmpty(fields[2], "service name")
    tables.services.append(
      ServiceRecord(
        prefix: prefix, name: name, actions: tables.actions.count..<tables.actions.count,
        resourceTypes: tables.resourceTypes.count..<tables.resourceTypes.count,
        conditionKeys: tables.conditionKeys.count..<tables.conditionKeys.count))
    stage = .actions
  }

  /// Sets the record ranges of the current service to everything read since it began.
  private mutating func closeService() {
    guard let last = tables.services.indices.last else { return }
    tables.services[last].actions = tables.services[last].actions.lowerBound..<tables.actions.count
    tables.services[last].resourceTypes = tables.services[last].resourceTypes.lowerBound..<tables.resourceTypes.count
    tables.services[last].conditionKeys = tables.services[last].conditionKeys.lowerBound..<tables.conditionKeys.count
  }

  private mutating func readAction() throws(CatalogLoadError) {
    let service = try currentService(allowedIn: .actions, "an action")
    try expectFields(3...4, "an action needs a name and an access level")
    let name = try nonEmpty(fields[1], "action name")
    let lowercasedStart = tables.lowercasedNames.count
    for position in name.range { tables.lowercasedNames.append(CatalogOrder.lowercasedASCII(byte(at: position))) }
    let lowercased = lowercasedStart..<tables.lowercasedNames.count
    if let previous = tables.actions.last, previous.service == service,
      !tables.lowercasedNames[previous.lowercasedName].lexicographicallyPrecedes(tables.lowercasedNames[lowercased])
    {
      throw fail("the action `\(string(name))` must come after `\(string(previous.name))`, in lower-cased order and once")
    }
    let levelText = try nonEmpty(fields[2], "access level")
    tables.actions.append(
      ActionRecord(
        service: service, name: name, lowercasedName: lowercased, level: try level(levelText), levelText: levelText,
        resourceTypes: tables.actionResourceTypes.count..<tables.actionResourceTypes.count,
        conditionKeys: try list(at: 3)))
  }

  private mutating func readActionResourceType() throws(CatalogLoadError) {
    let service = try currentService(allowedIn: .actions, "a resource type of an action")
    guard let action = tables.actions.indices.last, tables.actions[action].service == service else {
      throw fail("a resource type of an action (`r`) must follow its action (`A`)")
    }
    try expectFields(3...4, "a resource type of an action needs a name and a required flag (*, - or ?)")
    let name = try nonEmpty(fields[1], "resource type name")
    let flag = fields[2]
    let isRequired: Bool?
    switch flag.count == 1 ? bytes[flag.lowerBound] : 0 {
    case CatalogFormat.required: isRequired = true
    case CatalogFormat.notRequired: isRequired = false
    case CatalogFormat.requiredUnknown: isRequired = nil
    default: throw fail("the required flag must be `*`, `-` or `?`, not `\(text(flag))`")
    }
    tables.actionResourceTypes.append(
      ActionResourceTypeRecord(service: service, name: name, isRequired: isRequired, conditionKeys: try list(at: 3)))
    let range = tables.actions[action].resourceTypes
    tables.actions[action].resourceTypes = range.lowerBound..<tables.actionResourceTypes.count
  }

  private mutating func readResourceType() throws(CatalogLoadError) {
    let service = try currentService(allowedIn: .resourceTypes, "a resource type")
    try expectFields(2...4, "a resource type needs a name")
    let name = try nonEmpty(fields[1], "resource type name")
    try checkOrder(name, after: tables.resourceTypes.last.flatMap { $0.service == service ? $0.name : nil })
    tables.resourceTypes.append(
      ResourceTypeRecord(service: service, name: name, arnPatterns: try list(at: 2), conditionKeys: try list(at: 3)))
  }

  private mutating func readConditionKey() throws(CatalogLoadError) {
    let service = try currentService(allowedIn: .conditionKeys, "a condition key")
    try expectFields(2...3, "a condition key needs a name")
    let name = try nonEmpty(fields[1], "condition key")
    try checkOrder(name, after: tables.conditionKeys.last.flatMap { $0.service == service ? $0.name : nil })
    tables.conditionKeys.append(ConditionKeyRecord(service: service, name: name, types: try list(at: 2)))
  }

  // MARK: Checks

  /// The index of the service being read, after checking that a record of `stage` may come now.
  private mutating func currentService(allowedIn stage: Stage, _ what: String) throws(CatalogLoadError) -> Int {
    guard let service = tables.services.indices.last else { throw fail("\(what) must follow a service (`S`)") }
    guard self.stage <= stage else {
      throw fail("\(what) comes too late: within a service, actions come first, then resource types, then condition keys")
    }
    self.stage = stage
    return service
  }

  private func expectFields(_ counts: ClosedRange<Int>, _ message: String) throws(CatalogLoadError) {
    guard counts.contains(fields.count) else {
      throw fail(fields.count < counts.lowerBound ? message : "the record has \(fields.count - 1) fields, at most \(counts.upperBound - 1) expected")
    }
  }

  private func checkOrder(_ name: TextRef, after previous: TextRef?) throws(CatalogLoadError) {
    guard let previous else { return }
    let (before, after) = (bytes(of: previous), bytes(of: name))
    let folded = CatalogOrder.compareFolded(before, after)
    guard folded < 0 || (folded == 0 && before.lexicographicallyPrecedes(after)) else {
      throw fail("`\(string(name))` must come after `\(string(previous))`, in order and once")
    }
  }

  private mutating func level(_ text: TextRef) throws(CatalogLoadError) -> AccessLevel {
    for known in levels where equalBytes(known.text, text) { return known.level }
    guard let level = AccessLevel(levelText: string(text)) else {
      throw fail("the access level `\(string(text))` does not start with List, Read, Write, Permissions management or Tagging")
    }
    levels.append((text, level))
    return level
  }

  private mutating func finish() throws(CatalogLoadError) -> Tables {
    closeService()
    if sawNonASCII, String(validating: bytes, as: UTF8.self) == nil {
      throw failWhole("the catalog is not valid UTF-8")
    }
    guard let source = tables.header[.source] else { throw failWhole("the header `source` is missing") }
    tables.source = source
    let counts: [(CatalogFormat.HeaderKey, Int)] = [
      (.services, tables.services.count), (.actions, tables.actions.count),
      (.resourceTypes, tables.resourceTypes.count), (.conditionKeys, tables.conditionKeys.count),
    ]
    for (key, actual) in counts {
      guard let declared = tables.header[key] else { throw failWhole("the header `\(key.rawValue)` is missing") }
      guard Int(declared) == actual else {
        throw failWhole("the header says \(declared) \(key.rawValue) but the catalog has \(actual)")
      }
    }
    return tables
  }

  // MARK: Fields

  /// A field's raw text, for messages and header checks.
  private func text(_ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  private mutating func nonEmpty(_ range: Range<Int>, _ what: String) throws(CatalogLoadError) -> TextRef {
    guard !range.isEmpty else { throw fail("the \(what) is empty") }
    return try textRef(range)
  }

  /// The field's text: where it is in the input, or where its unescaped copy is.
  private mutating func textRef(_ range: Range<Int>) throws(CatalogLoadError) -> TextRef {
    var index = range.lowerBound
    while index < range.upperBound {
      if bytes[index] == CatalogFormat.backslash { return try unescape(range) }
      index += 1
    }
    return TextRef(start: range.lowerBound, count: range.count)
  }

  private mutating func unescape(_ range: Range<Int>) throws(CatalogLoadError) -> TextRef {
    let start = tables.unescaped.count
    var index = range.lowerBound
    while index < range.upperBound {
      let byte = bytes[index]
      index += 1
      guard byte == CatalogFormat.backslash else {
        tables.unescaped.append(byte)
        continue
      }
      guard index < range.upperBound, let escaped = CatalogFormat.unescaped(bytes[index]) else {
        throw fail("unknown escape in `\(text(range))`; the escapes are \\\\, \\t, \\n, \\r and \\s")
      }
      tables.unescaped.append(escaped)
      index += 1
    }
    return TextRef(start: bytes.count + start, count: tables.unescaped.count - start)
  }

  /// The elements of the list field at `position`, appended to the list items; empty when the
  /// line has no such field.
  private mutating func list(at position: Int) throws(CatalogLoadError) -> Range<Int> {
    let start = tables.listItems.count
    guard position < fields.count, !fields[position].isEmpty else { return start..<start }
    let range = fields[position]
    var itemStart = range.lowerBound
    for index in range.lowerBound...range.upperBound where index == range.upperBound || bytes[index] == CatalogFormat.space {
      guard index > itemStart else { throw fail("a list has an empty element: separate elements with one space") }
      tables.listItems.append(try textRef(itemStart..<index))
      itemStart = index + 1
    }
    return start..<tables.listItems.count
  }

  /// The byte at a position of the storage to be: the input, then the unescaped copies.
  @inline(__always) private func byte(at position: Int) -> UInt8 {
    position < bytes.count ? bytes[position] : tables.unescaped[position - bytes.count]
  }

  private func equalBytes(_ lhs: TextRef, _ rhs: TextRef) -> Bool {
    guard lhs.count == rhs.count else { return false }
    for offset in 0..<lhs.count where byte(at: lhs.start + offset) != byte(at: rhs.start + offset) { return false }
    return true
  }

  /// A copy of a string's bytes, for the checks that are not on the path of every action.
  private func bytes(of text: TextRef) -> [UInt8] {
    text.range.map { byte(at: $0) }
  }

  private func string(_ text: TextRef) -> String {
    String(decoding: bytes(of: text), as: UTF8.self)
  }
}
