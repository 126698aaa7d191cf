/// Reads the compact catalog form (see ``CatalogFormat``) in one pass over its bytes,
/// checking its structure, its order and its counts.
///
/// Each line is scanned once, eight bytes at a time, stopping only at tabs, line breaks,
/// backslashes and non-ASCII bytes. Strings stay where they are in the input: only escaped
/// text fields are copied, unescaped, after it, and list fields are kept whole, to be split
/// when read. Loading therefore allocates a few flat arrays whatever the size of the catalog.
struct CatalogDecoder {
  /// Decodes a compact catalog.
  ///
  /// - Parameter file: the file name for error messages.
  /// - Complexity: O(n) in the length of `input`.
  static func decode(_ input: [UInt8], file: String?) throws(CatalogLoadError) -> CatalogStorage {
    guard input.count <= Int(UInt32.max / 2) else {
      throw CatalogLoadError(file: file, message: "the catalog is larger than 2 GiB")
    }
    let tables = try input.withUnsafeBufferPointer { (buffer) throws(CatalogLoadError) -> Tables in
      var decoder = CatalogDecoder(bytes: buffer, file: file)
      try decoder.readLines()
      return try decoder.finish()
    }
    return CatalogStorage(
      source: tables.source, commit: tables.header[.commit], packageVersion: tables.header[.packageVersion],
      dataDate: tables.header[.dataDate], bytes: tables.unescaped.isEmpty ? input : input + tables.unescaped,
      services: tables.services, actions: tables.actions, actionResourceTypes: tables.actionResourceTypes,
      resourceTypes: tables.resourceTypes, conditionKeys: tables.conditionKeys)
  }

  /// What decoding produces, before it becomes a ``CatalogStorage``.
  struct Tables {
    var source = ""
    var header: [CatalogFormat.HeaderKey: String] = [:]
    var unescaped: [UInt8] = []
    var services: [ServiceRecord] = []
    var actions: [ActionRecord] = []
    var actionResourceTypes: [ActionResourceTypeRecord] = []
    var resourceTypes: [ResourceTypeRecord] = []
    var conditionKeys: [ConditionKeyRecord] = []
  }

  /// Which records may come next.
  private enum Stage: Int, Comparable {
    case header, actions, resourceTypes, conditionKeys

    static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.rawValue < rhs.rawValue }
  }

  /// The fields of one line, as its scan finds them.
  private struct Line {
    /// The most fields a record has: a tag and three values.
    static let maximumFields = 4
    var starts: (Int, Int, Int, Int)
    /// How many fields the line has, counting those past ``maximumFields``.
    var count = 1
    var end = 0
    /// Whether the line has a backslash.
    var hasEscape = false

    init(start: Int) {
      starts = (start, start, start, start)
    }

    mutating func addField(startingAt start: Int) {
      switch count {
      case 1: starts.1 = start
      case 2: starts.2 = start
      case 3: starts.3 = start
      default: break
      }
      count += 1
    }

    /// The bytes of field `index`, which must be below ``count`` and ``maximumFields``; the
    /// last field kept runs to the end of the line.
    func range(_ index: Int) -> Range<Int> {
      let start: Int
      switch index {
      case 0: start = starts.0
      case 1: start = starts.1
      case 2: start = starts.2
      default: start = starts.3
      }
      guard index + 1 < count, index + 1 < Line.maximumFields else { return start..<end }
      switch index {
      case 0: return start..<starts.1 - 1
      case 1: return start..<starts.2 - 1
      default: return start..<starts.3 - 1
      }
    }
  }

  private let bytes: UnsafeBufferPointer<UInt8>
  private let file: String?
  private var tables = Tables()
  private var lineNumber = 0
  private var line = Line(start: 0)
  private var stage = Stage.header
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
  }

  /// An error on the current line.
  private func fail(_ message: String) -> CatalogLoadError {
    CatalogLoadError(file: file, line: lineNumber, message: message)
  }

  /// An error about the catalog as a whole.
  private func failWhole(_ message: String) -> CatalogLoadError {
    CatalogLoadError(file: file, message: message)
  }

  private mutating func readLines() throws(CatalogLoadError) {
    var offset = 0
    while offset < bytes.count {
      lineNumber += 1
      line = Line(start: offset)
      var index = offset
      while true {
        index = nextSpecialByte(from: index)
        guard index < bytes.count else { break }
        let byte = bytes[index]
        if byte == CatalogFormat.newline { break }
        if byte == CatalogFormat.tab {
          line.addField(startingAt: index + 1)
        } else if byte == CatalogFormat.backslash {
          line.hasEscape = true
        } else if byte >= 0x80 {
          sawNonASCII = true
        }
        index += 1
      }
      line.end = index
      if line.end > offset && bytes[line.end - 1] == CatalogFormat.carriageReturn { line.end -= 1 }
      if lineNumber == 1 {
        try readMagic()
      } else if line.end > offset && bytes[offset] != CatalogFormat.comment {
        try readRecord()
      }
      offset = index + 1
    }
    if lineNumber == 0 { throw failWhole("the catalog is empty") }
  }

  /// The index of the first byte at or after `start` that is a control character (tab, line
  /// break, ...), a backslash or not ASCII; the end of the input when there is none.
  ///
  /// Eight bytes are tested at a time: a byte below 0x20 makes `x - 0x20` borrow into its top
  /// bit, a backslash makes `x ^ 0x5C` zero, and the lowest flagged byte is always a true one.
  @inline(__always) private func nextSpecialByte(from start: Int) -> Int {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    var index = start
    if let base = bytes.baseAddress {
      while index + 8 <= bytes.count {
        let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
        let control = (word &- ones &* 0x20) & ~word
        let escaped = word ^ (ones &* UInt64(CatalogFormat.backslash))
        let backslash = (escaped &- ones) & ~escaped
        let flagged = (control | backslash | word) & highs
        if flagged != 0 { return index + flagged.trailingZeroBitCount / 8 }
        index += 8
      }
    }
    while index < bytes.count {
      let byte = bytes[index]
      if byte < 0x20 || byte == CatalogFormat.backslash || byte >= 0x80 { return index }
      index += 1
    }
    return index
  }

  private func readMagic() throws(CatalogLoadError) {
    guard line.count == 2, text(line.range(0)) == CatalogFormat.magic else {
      throw fail("not an iamsim catalog: the first line must be `\(CatalogFormat.magic)<tab>\(CatalogFormat.version)`")
    }
    let version = text(line.range(1))
    guard version == CatalogFormat.version else {
      throw fail("catalog format \(version) is not supported; this build reads format \(CatalogFormat.version)")
    }
  }

  private mutating func readRecord() throws(CatalogLoadError) {
    let tag = line.range(0)
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
    let name = text(line.range(0))
    guard let key = CatalogFormat.HeaderKey(rawValue: name) else { throw fail("unknown header `\(name)`") }
    guard stage == .header else { throw fail("the header `\(name)` comes after the first service") }
    guard line.count == 2 else { throw fail("the header `\(name)` needs exactly one value") }
    guard tables.header[key] == nil else { throw fail("the header `\(name)` repeats") }
    tables.header[key] = string(try textRef(line.range(1)))
  }

  private mutating func readService() throws(CatalogLoadError) {
    try expectFields(3...3, "a service needs a prefix and a name")
    closeService()
    let prefix = try nonEmpty(1, "service prefix")
    let prefixBytes = bytes(of: prefix)
    guard !prefixBytes.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else {
      throw fail("the service prefix `\(string(prefix))` must be lower-case")
    }
    if let previous = tables.services.last, !bytes(of: previous.prefix).lexicographicallyPrecedes(prefixBytes) {
      throw fail("the service `\(string(prefix))` must come after `\(string(previous.prefix))`, in order and once")
    }
    tables.services.append(
      ServiceRecord(
        prefix: prefix, name: try nonEmpty(2, "service name"), actions: tables.actions.count..<tables.actions.count,
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
    let name = try nonEmpty(1, "action name")
    if let previous = tables.actions.last, previous.service == service, compareFolded(previous.name, name) >= 0 {
      throw fail("the action `\(string(name))` must come after `\(string(previous.name))`, in lower-cased order and once")
    }
    let levelText = try nonEmpty(2, "access level")
    tables.actions.append(
      ActionRecord(
        service: service, name: name, level: try level(levelText), levelText: levelText,
        resourceTypes: tables.actionResourceTypes.count..<tables.actionResourceTypes.count,
        conditionKeys: try list(3)))
  }

  private mutating func readActionResourceType() throws(CatalogLoadError) {
    let service = try currentService(allowedIn: .actions, "a resource type of an action")
    guard let action = tables.actions.indices.last, tables.actions[action].service == service else {
      throw fail("a resource type of an action (`r`) must follow its action (`A`)")
    }
    try expectFields(3...4, "a resource type of an action needs a name and a required flag (*, - or ?)")
    let name = try nonEmpty(1, "resource type name")
    let flag = line.range(2)
    let isRequired: Bool?
    switch flag.count == 1 ? bytes[flag.lowerBound] : 0 {
    case CatalogFormat.required: isRequired = true
    case CatalogFormat.notRequired: isRequired = false
    case CatalogFormat.requiredUnknown: isRequired = nil
    default: throw fail("the required flag must be `*`, `-` or `?`, not `\(text(flag))`")
    }
    tables.actionResourceTypes.append(
      ActionResourceTypeRecord(service: service, name: name, isRequired: isRequired, conditionKeys: try list(3)))
    tables.actions[action].resourceTypes = tables.actions[action].resourceTypes.lowerBound..<tables.actionResourceTypes.count
  }

  private mutating func readResourceType() throws(CatalogLoadError) {
    let service = try currentService(allowedIn: .resourceTypes, "a resource type")
    try expectFields(2...4, "a resource type needs a name")
    let name = try nonEmpty(1, "resource type name")
    try checkOrder(name, after: tables.resourceTypes.last.flatMap { $0.service == service ? $0.name : nil })
    tables.resourceTypes.append(
      ResourceTypeRecord(service: service, name: name, arnPatterns: try list(2), conditionKeys: try list(3)))
  }

  private mutating func readConditionKey() throws(CatalogLoadError) {
    let service = try currentService(allowedIn: .conditionKeys, "a condition key")
    try expectFields(2...3, "a condition key needs a name")
    let name = try nonEmpty(1, "condition key")
    try checkOrder(name, after: tables.conditionKeys.last.flatMap { $0.service == service ? $0.name : nil })
    tables.conditionKeys.append(ConditionKeyRecord(service: service, name: name, types: try list(2)))
  }

  // MARK: Checks

  /// The index of the service being read, after checking that a record of `stage` may come now.
  @inline(__always)
  private mutating func currentService(allowedIn stage: Stage, _ what: String) throws(CatalogLoadError) -> Int {
    guard let service = tables.services.indices.last else { throw fail("\(what) must follow a service (`S`)") }
    guard self.stage <= stage else {
      throw fail("\(what) comes too late: within a service, actions come first, then resource types, then condition keys")
    }
    self.stage = stage
    return service
  }

  @inline(__always)
  private func expectFields(_ counts: ClosedRange<Int>, _ message: @autoclosure () -> String) throws(CatalogLoadError) {
    guard line.count >= counts.lowerBound else { throw fail(message()) }
    guard line.count <= counts.upperBound else {
      throw fail("the record has \(line.count - 1) fields, at most \(counts.upperBound - 1) expected")
    }
  }

  private func checkOrder(_ name: TextRef, after previous: TextRef?) throws(CatalogLoadError) {
    guard let previous else { return }
    let folded = compareFolded(previous, name)
    guard folded < 0 || (folded == 0 && bytes(of: previous).lexicographicallyPrecedes(bytes(of: name))) else {
      throw fail("`\(string(name))` must come after `\(string(previous))`, in order and once")
    }
  }

  @inline(__always)
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

  /// The text field at `index`, which must not be empty.
  @inline(__always)
  private mutating func nonEmpty(_ index: Int, _ what: String) throws(CatalogLoadError) -> TextRef {
    let range = line.range(index)
    guard !range.isEmpty else { throw fail("the \(what) is empty") }
    return try textRef(range)
  }

  /// A text field: where it is in the input, or where its unescaped copy is.
  @inline(__always)
  private mutating func textRef(_ range: Range<Int>) throws(CatalogLoadError) -> TextRef {
    guard line.hasEscape, UnsafeBufferPointer(rebasing: bytes[range]).contains(CatalogFormat.backslash) else {
      return TextRef(start: range.lowerBound, count: range.count)
    }
    try checkEscapes(range)
    let start = tables.unescaped.count
    tables.unescaped += CatalogFormat.unescape(UnsafeBufferPointer(rebasing: bytes[range]))
    return TextRef(start: bytes.count + start, count: tables.unescaped.count - start)
  }

  /// The list field at `index`, kept whole and escaped; empty when the line has no such field.
  @inline(__always)
  private func list(_ index: Int) throws(CatalogLoadError) -> TextRef {
    guard index < line.count else { return .empty }
    let range = line.range(index)
    guard !range.isEmpty else { return .empty }
    if line.hasEscape { try checkEscapes(range) }
    return TextRef(start: range.lowerBound, count: range.count)
  }

  private func checkEscapes(_ range: Range<Int>) throws(CatalogLoadError) {
    var index = range.lowerBound
    while index < range.upperBound {
      if bytes[index] == CatalogFormat.backslash {
        guard index + 1 < range.upperBound, CatalogFormat.unescaped(bytes[index + 1]) != nil else {
          throw fail("unknown escape in `\(text(range))`; the escapes are \\\\, \\t, \\n, \\r and \\s")
        }
        index += 1
      }
      index += 1
    }
  }

  /// The byte at a position of the storage to be: the input, then the unescaped copies.
  @inline(__always) private func byte(at position: Int) -> UInt8 {
    position < bytes.count ? bytes[position] : tables.unescaped[position - bytes.count]
  }

  private func equalBytes(_ lhs: TextRef, _ rhs: TextRef) -> Bool {
    guard lhs.count == rhs.count else { return false }
    if let left = inputBytes(lhs), let right = inputBytes(rhs) { return left.elementsEqual(right) }
    for offset in 0..<lhs.count where byte(at: lhs.start + offset) != byte(at: rhs.start + offset) { return false }
    return true
  }

  /// The bytes of a string that lies in the input rather than among the unescaped copies.
  @inline(__always) private func inputBytes(_ text: TextRef) -> UnsafeBufferPointer<UInt8>? {
    text.start + text.count <= bytes.count ? UnsafeBufferPointer(rebasing: bytes[text.range]) : nil
  }

  /// Compares two strings by their ASCII-lower-cased bytes: negative, zero or positive.
  private func compareFolded(_ lhs: TextRef, _ rhs: TextRef) -> Int {
    let input = inputBytes(lhs).flatMap { left in inputBytes(rhs).map { (left, $0) } }
    for offset in 0..<min(lhs.count, rhs.count) {
      var left: UInt8
      var right: UInt8
      if let (leftBytes, rightBytes) = input {
        (left, right) = (leftBytes[offset], rightBytes[offset])
      } else {
        (left, right) = (byte(at: lhs.start + offset), byte(at: rhs.start + offset))
      }
      if left == right { continue }
      left = CatalogOrder.lowercasedASCII(left)
      right = CatalogOrder.lowercasedASCII(right)
      if left != right { return left < right ? -1 : 1 }
    }
    return lhs.count - rhs.count
  }

  /// A copy of a string's bytes, for the checks that are not on the path of every action.
  private func bytes(of text: TextRef) -> [UInt8] {
    text.range.map { byte(at: $0) }
  }

  private func string(_ text: TextRef) -> String {
    String(decoding: bytes(of: text), as: UTF8.self)
  }
}
