import IAMPolicy

/// A reader for the YAML that CloudFormation templates use, keeping positions, tags and duplicate keys.
///
/// It reads one document of YAML 1.2 (and the YAML 1.1 syntax CloudFormation templates are written in, which is
/// the same for everything read here): block and flow collections, comments, plain, single-quoted and
/// double-quoted scalars (every escape, `\x`, `\u` and `\U` included), literal `|` and folded `>` block scalars
/// with chomping and indentation indicators, multi-line scalars, tags, anchors and aliases, `---` and `...`,
/// a `%YAML` directive, and a byte-order mark.
///
/// It refuses, with a line and column, what it does not support rather than guess: a second document, `%TAG`
/// and unknown directives, explicit `?` keys, keys that are collections, aliases, or carry a tag or an anchor,
/// merge keys (`<<`, which CloudFormation refuses too), verbatim and named tags, tabs in indentation, control
/// characters, invalid UTF-8, nesting deeper than ``maximumDepth``, and aliases that would expand the document by
/// more than ``maximumAliasExpansion`` (a "billion laughs" input).
///
/// Scalars keep their text and style; ``YAMLNode/json()`` resolves them (YAML 1.2 core schema) and
/// ``CloudFormationYAML`` converts a template to its JSON form. `Documentation/YAML.md` describes all of it.
public struct YAMLReader: Sendable {
  /// The deepest nesting of sequences and mappings accepted.
  public var maximumDepth: Int
  /// How much aliases may add to the document, counting one per node and one per byte of scalar text and key
  /// that each alias copies.
  public var maximumAliasExpansion: Int

  /// Creates a reader.
  public init(maximumDepth: Int = 256, maximumAliasExpansion: Int = 1_000_000) {
    self.maximumDepth = maximumDepth
    self.maximumAliasExpansion = maximumAliasExpansion
  }

  /// Reads one YAML document.
  ///
  /// - Parameter bytes: the UTF-8 text of the document.
  /// - Returns: the document's root node (an empty plain scalar for an empty document).
  /// - Throws: ``YAMLSyntaxError`` naming the line and column of the first problem.
  /// - Complexity: O(n) in the length of `bytes`, plus the size of what aliases copy (bounded).
  public func read(_ bytes: [UInt8]) throws(YAMLSyntaxError) -> YAMLNode {
    var parser = YAMLParser(bytes: bytes, maximumDepth: maximumDepth, maximumAliasExpansion: maximumAliasExpansion)
    return try parser.document()
  }

  /// Reads one YAML document from a string.
  public func read(_ text: String) throws(YAMLSyntaxError) -> YAMLNode {
    try read(Array(text.utf8))
  }
}

// MARK: - The parser

private let space: UInt8 = 0x20
private let tab: UInt8 = 0x09
private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D

private func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(character.value) }

/// Where a node starts, which decides what it may be.
private enum Context {
  /// First on its line: its column may open a block collection.
  case lineStart
  /// After `- ` on the same line: a compact sequence or mapping may open at its column.
  case afterDash
  /// After `key:` or `---` on the same line, or after a tag or anchor: no block collection may start here.
  case inline
}

/// A parsed node and how much it weighs when an alias copies it.
private struct Parsed {
  var node: YAMLNode
  var size: Int
  /// How many collections deep the node goes (0 for a scalar), so that an alias cannot copy a deep node into a
  /// deep place and nest beyond the limit.
  var height = 0
}

private struct YAMLParser {
  let bytes: [UInt8]
  let maximumDepth: Int
  let maximumAliasExpansion: Int
  var index = 0
  var line = 1
  /// The index of the first byte of the current line.
  var lineStart = 0
  var depth = 0
  var anchors: [String: Parsed] = [:]
  var aliasExpansion = 0
  /// Positions are mostly asked for in increasing order: counting resumes from the last one on the same line.
  var columnCacheOffset = 0
  var columnCacheValue = 1
  /// The first tab in the leading white space of the line ``skipToContent()`` stopped on.
  var tabOffset: Int?

  init(bytes: [UInt8], maximumDepth: Int, maximumAliasExpansion: Int) {
    self.bytes = bytes
    self.maximumDepth = maximumDepth
    self.maximumAliasExpansion = maximumAliasExpansion
  }

  // MARK: Positions and errors

  /// The byte at `offset`, or 0 past the end (the input holds no NUL byte: `checkCharacters` refuses them).
  @inline(__always) func at(_ offset: Int) -> UInt8 { offset < bytes.count ? bytes[offset] : 0 }
  @inline(__always) var current: UInt8 { at(index) }
  @inline(__always) var atEnd: Bool { index >= bytes.count }

  @inline(__always) func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }
  @inline(__always) func isBreak(_ byte: UInt8) -> Bool { byte == lineFeed || byte == carriageReturn }
  /// A space, a tab, a line break or the end of the input.
  @inline(__always) func isBlankOrEnd(_ byte: UInt8) -> Bool {
    byte == space || byte == tab || isBreak(byte) || byte == 0
  }
  /// Whether the byte after a `:` makes it a value indicator in flow context.
  @inline(__always) func isValueIndicatorEnd(_ byte: UInt8) -> Bool { isBlankOrEnd(byte) || isFlowIndicator(byte) }
  @inline(__always) func isFlowIndicator(_ byte: UInt8) -> Bool {
    byte == ascii(",") || byte == ascii("[") || byte == ascii("]") || byte == ascii("{") || byte == ascii("}")
  }

  var position: SourcePosition {
    mutating get { position(of: index) }
  }

  /// The position of `offset`, which must be on the current line.
  mutating func position(of offset: Int) -> SourcePosition {
    var column = 1
    var cursor = lineStart
    if columnCacheOffset >= lineStart && columnCacheOffset <= offset {
      cursor = columnCacheOffset
      column = columnCacheValue
    }
    while cursor < offset && cursor < bytes.count {
      if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
      cursor += 1
    }
    columnCacheOffset = cursor
    columnCacheValue = column
    return SourcePosition(line: line, column: column)
  }

  mutating func fail(_ message: String) -> YAMLSyntaxError {
    YAMLSyntaxError(message, at: position)
  }

  func describe(_ byte: UInt8) -> String {
    if byte == 0 { return "the end of the document" }
    if byte == lineFeed || byte == carriageReturn { return "the end of the line" }
    if byte == tab { return "a tab" }
    if byte >= 0x21 && byte < 0x7F { return "`\(Character(Unicode.Scalar(byte)))`" }
    if byte == space { return "a space" }
    return "byte 0x" + String(byte, radix: 16, uppercase: true)
  }

  /// Consumes a line break (`\n` or `\r\n`) at `index`.
  @inline(__always) mutating func consumeBreak() {
    if current == carriageReturn { index += 1 }
    if current == lineFeed {
      index += 1
      line += 1
      lineStart = index
    }
  }

  mutating func enter() throws(YAMLSyntaxError) {
    depth += 1
    if depth > maximumDepth {
      throw fail("the document nests sequences and mappings deeper than \(maximumDepth) levels")
    }
  }

  // MARK: Characters

  /// Refuses invalid UTF-8, control characters other than tab and line breaks, and a carriage return not
  /// followed by a line feed, before anything is parsed: the parser then never meets them.
  mutating func checkCharacters() throws(YAMLSyntaxError) {
    var offset = 0
    let count = bytes.count
    while offset < count {
      let byte = bytes[offset]
      if byte >= 0x20 && byte <= 0x7F || byte == lineFeed || byte == tab {
        offset += 1
        continue
      }
      if byte == carriageReturn {
        if offset + 1 < count && bytes[offset + 1] == lineFeed {
          offset += 2
          continue
        }
        throw error(at: offset, "a carriage return that is not followed by a line feed")
      }
      if byte < 0x80 {
        throw error(
          at: offset,
          byte == 0
            ? "a NUL byte, which YAML does not allow"
            : "the control character \(describe(byte)), which YAML does not allow; escape it in a double-quoted scalar")
      }
      // A multi-byte UTF-8 sequence.
      let length: Int
      var scalar: UInt32
      switch byte {
      case 0xC2...0xDF: length = 2; scalar = UInt32(byte & 0x1F)
      case 0xE0...0xEF: length = 3; scalar = UInt32(byte & 0x0F)
      case 0xF0...0xF4: length = 4; scalar = UInt32(byte & 0x07)
      default: throw error(at: offset, "the text is not valid UTF-8")
      }
      guard offset + length <= count else { throw error(at: offset, "the text is not valid UTF-8") }
      for next in 1..<length {
        let continuation = bytes[offset + next]
        guard continuation & 0xC0 == 0x80 else { throw error(at: offset, "the text is not valid UTF-8") }
        scalar = scalar << 6 | UInt32(continuation & 0x3F)
      }
      let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
      guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
        throw error(at: offset, "the text is not valid UTF-8")
      }
      offset += length
    }
  }

  /// An error at any offset (used before parsing starts, when the line is not tracked).
  func error(at offset: Int, _ message: String) -> YAMLSyntaxError {
    var line = 1
    var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    for cursor in 0..<min(offset, bytes.count) where bytes[cursor] == lineFeed {
      line += 1
      start = cursor + 1
    }
    var column = 1
    for cursor in start..<offset where bytes[cursor] & 0xC0 != 0x80 { column += 1 }
    return YAMLSyntaxError(message, at: SourcePosition(line: line, column: column))
  }

  // MARK: Lines

  /// Whether a `---` or `...` document marker starts at `offset` (which must begin a line).
  func isDocumentMarker(at offset: Int) -> Bool {
    guard offset + 3 <= bytes.count else { return false }
    let first = bytes[offset]
    guard first == ascii("-") || first == ascii(".") else { return false }
    return bytes[offset + 1] == first && bytes[offset + 2] == first && isBlankOrEnd(at(offset + 3))
  }

  /// Whether `index` is at the start of a document marker at the start of its line.
  var atDocumentMarker: Bool { index == lineStart && isDocumentMarker(at: index) }

  /// From anywhere in the leading white space of a line, skips lines that are empty or hold only a comment and
  /// stops at the first character of the next line with content. Returns false at the end of the input.
  /// Sets ``tabOffset`` to the first tab before that character, if any: callers refuse it where it would indent
  /// a block structure (YAML does not allow tabs in indentation) and accept it as separation before a flow node.
  mutating func skipToContent() throws(YAMLSyntaxError) -> Bool {
    while true {
      while isBlank(current) { index += 1 }
      if atEnd {
        tabOffset = nil
        return false
      }
      if current == ascii("#") || isBreak(current) {
        while !atEnd && !isBreak(current) { index += 1 }
        consumeBreak()
        continue
      }
      tabOffset = nil
      var cursor = lineStart
      while cursor < index {
        if bytes[cursor] == tab {
          tabOffset = cursor
          break
        }
        cursor += 1
      }
      return true
    }
  }

  /// Refuses a tab in the indentation of the current line, if ``skipToContent()`` found one.
  mutating func refuseTabIndentation() throws(YAMLSyntaxError) {
    if let tabOffset {
      throw error(
        atLineOffset: tabOffset,
        "a tab in indentation: YAML allows only spaces to indent (replace the tab with spaces)")
    }
  }

  mutating func error(atLineOffset offset: Int, _ message: String) -> YAMLSyntaxError {
    YAMLSyntaxError(message, at: position(of: offset))
  }

  /// The column of `index` in bytes from the start of its line (the indentation: only spaces precede it).
  var column: Int { index - lineStart }

  /// Ends a line in block context: skips blanks and a comment, then consumes the line break. Anything else is
  /// an error, described with `what` (what was just read).
  mutating func finishLine(after what: String) throws(YAMLSyntaxError) {
    while isBlank(current) { index += 1 }
    if current == ascii("#") {
      if index != lineStart && !isBlank(bytes[index - 1]) {
        throw fail("a comment must be separated from \(what) by a space")
      }
      while !atEnd && !isBreak(current) { index += 1 }
    }
    if atEnd { return }
    if isBreak(current) {
      consumeBreak()
      return
    }
    if current == ascii(":") && isBlankOrEnd(at(index + 1)) {
      throw fail(
        "unexpected `:` after \(what): a mapping key must fit on one line, and a value cannot be a mapping on the "
          + "same line as its key")
    }
    throw fail("unexpected \(describe(current)) after \(what)")
  }

  // MARK: Document

  mutating func document() throws(YAMLSyntaxError) -> YAMLNode {
    try checkCharacters()
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      index = 3
      lineStart = 3
      columnCacheOffset = 3
    }
    var sawDirective = false
    while try skipToContent() {
      guard index == lineStart, current == ascii("%") else { break }
      try directive()
      sawDirective = true
    }
    var root: Parsed
    if atDocumentMarker && current == ascii("-") {
      index += 3
      while isBlank(current) { index += 1 }
      if atEnd || isBreak(current) || current == ascii("#") {
        let emptyPosition = position
        try finishLine(after: "`---`")
        root = try nodeOnFollowingLines(parent: -1, sequenceAtParent: false, properties: nil, emptyAt: emptyPosition)
      } else {
        if index == lineStart + 3 { throw fail("`---` must be followed by a space") }
        root = try blockNode(parent: -1, context: .inline)
      }
    } else {
      if sawDirective { throw fail("a directive must be followed by `---` before the document") }
      if try skipToContent(), !atDocumentMarker {
        root = try blockNode(parent: -1, context: .lineStart)
      } else {
        root = Parsed(node: YAMLNode(.scalar("", .plain), at: position), size: 1)
      }
    }
    // After the root: only comments, an optional `...`, and the end.
    if try skipToContent() {
      try refuseTabIndentation()
      if atDocumentMarker && current == ascii(".") {
        index += 3
        try finishLine(after: "`...`")
        if try skipToContent() {
          throw fail("content after the end of the document (`...`); only one document is supported")
        }
      } else if atDocumentMarker {
        throw fail("a second document starts here; only one document per file is supported")
      } else {
        throw fail("this line does not continue the document's root node (check its indentation)")
      }
    }
    return root.node
  }

  /// Reads a directive line: `%YAML 1.x` is accepted; `%TAG` and others are refused.
  mutating func directive() throws(YAMLSyntaxError) {
    let start = index
    while !atEnd && !isBlankOrEnd(current) { index += 1 }
    let name = String(decoding: bytes[start + 1..<index], as: UTF8.self)
    guard name == "YAML" else {
      index = start
      if name == "TAG" { throw fail("`%TAG` directives are not supported; write tags in full") }
      throw fail("unknown directive `%\(name)`")
    }
    while isBlank(current) { index += 1 }
    let versionStart = index
    while !atEnd && !isBlankOrEnd(current) { index += 1 }
    let version = String(decoding: bytes[versionStart..<index], as: UTF8.self)
    guard version == "1.1" || version == "1.2" else {
      index = versionStart
      throw fail("unsupported YAML version `\(version)` (1.1 and 1.2 are read)")
    }
    try finishLine(after: "the `%YAML` directive")
  }

  // MARK: Block nodes

  /// After an indicator that ended its line (`key:`, `- `, `---`, or properties), reads the node on the following
  /// lines: indented more than `parent`, or at `parent` itself when it is a sequence under a mapping key
  /// (`sequenceAtParent`). Anything else leaves the node empty.
  mutating func nodeOnFollowingLines(
    parent: Int, sequenceAtParent: Bool, properties: (tag: String?, anchor: String?, position: SourcePosition)?,
    emptyAt emptyPosition: SourcePosition
  ) throws(YAMLSyntaxError) -> Parsed {
    if try skipToContent(), !atDocumentMarker {
      // Spaces must indent the node beyond its parent; a tab after them only separates.
      if let tabOffset, tabOffset - lineStart <= parent { try refuseTabIndentation() }
      let isSequenceEntry = current == ascii("-") && isBlankOrEnd(at(index + 1))
      if column > parent || column == parent && sequenceAtParent && isSequenceEntry {
        if properties != nil, current == ascii("!") || current == ascii("&") {
          throw fail("a node may have one tag and one anchor; these follow others on the line above")
        }
        var parsed = try blockNode(parent: parent, context: .lineStart)
        if let properties {
          if properties.tag != nil, parsed.node.alias != nil {
            throw fail("an alias cannot have a tag")
          }
          parsed.node.tag = properties.tag ?? parsed.node.tag
          parsed.node.position = properties.position
          if let anchor = properties.anchor {
            parsed.node.anchor = anchor
            anchors[anchor] = parsed
          }
        }
        return parsed
      }
    }
    let node = YAMLNode(
      .scalar("", .plain), tag: properties?.tag, anchor: properties?.anchor, at: properties?.position ?? emptyPosition)
    let parsed = Parsed(node: node, size: 1)
    if let anchor = properties?.anchor { anchors[anchor] = parsed }
    return parsed
  }

  /// Reads the node after `key:` or `- ` on the same line (past the indicator), or on the following lines.
  mutating func valueAfterIndicator(parent: Int, context: Context) throws(YAMLSyntaxError) -> Parsed {
    while isBlank(current) { index += 1 }
    if atEnd || isBreak(current) || current == ascii("#") {
      let emptyPosition = position
      try finishLine(after: context == .afterDash ? "`-`" : "`:`")
      return try nodeOnFollowingLines(
        parent: parent, sequenceAtParent: context == .inline, properties: nil, emptyAt: emptyPosition)
    }
    return try blockNode(parent: parent, context: context)
  }

  /// Reads a block node that starts at `index` (not white space). `parent` is the indentation of the enclosing
  /// block collection (-1 at the root). Returns with `index` at the start of a line, or at the end.
  mutating func blockNode(parent: Int, context: Context) throws(YAMLSyntaxError) -> Parsed {
    let start = position
    if current == ascii("!") || current == ascii("&") {
      let (tag, anchor) = try properties(inFlow: false)
      while isBlank(current) { index += 1 }
      if atEnd || isBreak(current) || current == ascii("#") {
        let emptyPosition = position
        try finishLine(after: "the tag or anchor")
        return try nodeOnFollowingLines(
          parent: parent, sequenceAtParent: context == .inline, properties: (tag, anchor, start),
          emptyAt: emptyPosition)
      }
      if context != .inline, try keyAhead() {
        throw YAMLSyntaxError(
          "a tag or anchor on a mapping key is not supported (to tag the mapping, put the tag on the line above)",
          at: start)
      }
      if current == ascii("*") { throw fail("an alias cannot have a tag or an anchor") }
      var parsed = try blockNode(parent: parent, context: .inline)
      parsed.node.tag = tag ?? parsed.node.tag
      parsed.node.position = start
      if let anchor {
        parsed.node.anchor = anchor
        anchors[anchor] = parsed
      }
      return parsed
    }
    let byte = current
    let next = at(index + 1)
    switch byte {
    case ascii("-") where isBlankOrEnd(next):
      guard context != .inline else {
        throw fail(
          "a block sequence cannot start on the same line as a mapping key, `---` or a tag; start it on the next line")
      }
      if context == .lineStart { try refuseTabIndentation() }
      return try blockSequence(indent: column)
    case ascii("?") where isBlankOrEnd(next):
      throw fail("explicit mapping keys (`? `) are not supported")
    case ascii(":") where isBlankOrEnd(next):
      throw fail("a mapping entry without a key")
    case ascii("*"):
      let parsed = try alias(inFlow: false)
      while isBlank(current) { index += 1 }
      if current == ascii(":") && isBlankOrEnd(at(index + 1)) {
        throw YAMLSyntaxError("an alias as a mapping key is not supported", at: start)
      }
      try finishLine(after: "the alias")
      return parsed
    case ascii("|"), ascii(">"):
      return try blockScalar(parent: parent, start: start)
    case ascii("["), ascii("{"):
      let parsed = try flowCollection(parent: parent)
      while isBlank(current) { index += 1 }
      if current == ascii(":") {
        throw YAMLSyntaxError("a flow collection as a mapping key is not supported", at: start)
      }
      try finishLine(after: byte == ascii("[") ? "the flow sequence" : "the flow mapping")
      return parsed
    case ascii("\""), ascii("'"):
      if try keyAhead() {
        guard context != .inline else {
          throw fail(
            "a mapping cannot start on the same line as its key (`a: b: c`); quote the value if it holds `: `, "
              + "or put the mapping on the next line, indented")
        }
        if context == .lineStart { try refuseTabIndentation() }
        return try blockMapping(indent: column)
      }
      let parsed = try quotedScalar(parent: parent)
      try finishLine(after: "the quoted scalar")
      return parsed
    default:
      try checkPlainStart(inFlow: false)
      if try keyAhead() {
        guard context != .inline else {
          throw fail(
            "a mapping cannot start on the same line as its key (`a: b: c`); quote the value if it holds `: `, "
              + "or put the mapping on the next line, indented")
        }
        if context == .lineStart { try refuseTabIndentation() }
        return try blockMapping(indent: column)
      }
      let parsed = try plainScalar(parent: parent, inFlow: false)
      try finishLine(after: "the scalar")
      return parsed
    }
  }

  /// Refuses a character that cannot start a plain scalar.
  mutating func checkPlainStart(inFlow: Bool) throws(YAMLSyntaxError) {
    let byte = current
    let next = at(index + 1)
    switch byte {
    case ascii("-"), ascii("?"), ascii(":"):
      if isBlankOrEnd(next) || inFlow && isFlowIndicator(next) {
        throw fail("unexpected \(describe(byte)) followed by \(describe(next))")
      }
    case ascii(","), ascii("["), ascii("]"), ascii("{"), ascii("}"):
      throw fail("unexpected \(describe(byte))\(inFlow ? "" : " outside a flow collection")")
    case ascii("#"), ascii("&"), ascii("*"), ascii("!"), ascii("|"), ascii(">"), ascii("'"), ascii("\""):
      throw fail("unexpected \(describe(byte))")
    case ascii("%"):
      throw fail(
        index == lineStart
          ? "a directive inside the document (directives come before `---`)"
          : "a plain scalar cannot start with `%`; quote it")
    case ascii("@"), ascii("`"):
      throw fail("a plain scalar cannot start with \(describe(byte)), which YAML reserves; quote it")
    default:
      return
    }
  }

  /// Whether a single-line implicit mapping key starts at `index`: a quoted or plain scalar on this line followed
  /// by `:` and a space or the end of the line. Does not move.
  mutating func keyAhead() throws(YAMLSyntaxError) -> Bool {
    var cursor = index
    let byte = at(cursor)
    if byte == ascii("\"") || byte == ascii("'") {
      cursor += 1
      while true {
        let inner = at(cursor)
        if inner == 0 || isBreak(inner) { return false }
        if byte == ascii("\"") && inner == ascii("\\") {
          cursor += 2
          continue
        }
        if inner == byte {
          if byte == ascii("'") && at(cursor + 1) == ascii("'") {
            cursor += 2
            continue
          }
          cursor += 1
          break
        }
        cursor += 1
      }
      while isBlank(at(cursor)) { cursor += 1 }
      return at(cursor) == ascii(":") && isBlankOrEnd(at(cursor + 1))
    }
    if byte == ascii("[") || byte == ascii("{") || byte == ascii("*") || byte == ascii("!") || byte == ascii("&") {
      return false
    }
    cursor += 1
    while true {
      let inner = at(cursor)
      if inner == 0 || isBreak(inner) { return false }
      if inner == ascii(":") && isBlankOrEnd(at(cursor + 1)) { return true }
      if inner == ascii("#") && isBlank(at(cursor - 1)) { return false }
      cursor += 1
    }
  }

  mutating func blockMapping(indent: Int) throws(YAMLSyntaxError) -> Parsed {
    let start = position
    try enter()
    var members: [YAMLNode.Member] = []
    var size = 1
    var height = 1
    while true {
      let keyPosition = position
      let key: String
      let keyStyle: YAMLNode.ScalarStyle
      switch current {
      case ascii("\""), ascii("'"):
        guard try keyAhead() else { throw fail("expected a mapping key (`key: value`) at this indentation") }
        let parsed = try quotedScalar(parent: indent)
        guard case .scalar(let text, let style) = parsed.node.kind else { throw fail("expected a mapping key") }
        key = text
        keyStyle = style
      case ascii("-") where isBlankOrEnd(at(index + 1)):
        throw fail("a sequence entry where a mapping key was expected (at the indentation of the mapping's keys)")
      case ascii("!"), ascii("&"):
        throw fail("a tag or anchor on a mapping key is not supported")
      case ascii("*"):
        throw fail("an alias as a mapping key is not supported")
      case ascii("["), ascii("{"):
        throw fail("a flow collection as a mapping key is not supported")
      case ascii("?") where isBlankOrEnd(at(index + 1)):
        throw fail("explicit mapping keys (`? `) are not supported")
      default:
        try checkPlainStart(inFlow: false)
        guard try keyAhead() else {
          throw fail(
            "expected a mapping key (`key: value`) at this indentation; is the line above indented wrongly, or its "
              + "value missing a quote?")
        }
        let keyStart = index
        while !(current == ascii(":") && isBlankOrEnd(at(index + 1))) { index += 1 }
        var keyEnd = index
        while keyEnd > keyStart && isBlank(bytes[keyEnd - 1]) { keyEnd -= 1 }
        key = String(decoding: bytes[keyStart..<keyEnd], as: UTF8.self)
        keyStyle = .plain
        if key == "<<" {
          throw YAMLSyntaxError(
            "merge keys (`<<`) are not supported, and CloudFormation refuses them; write the members out",
            at: keyPosition)
        }
      }
      while isBlank(current) { index += 1 }
      guard current == ascii(":") else { throw fail("expected `:` after the mapping key") }
      index += 1
      let value = try valueAfterIndicator(parent: indent, context: .inline)
      members.append(YAMLNode.Member(key: key, keyStyle: keyStyle, keyPosition: keyPosition, value: value.node))
      size += value.size + key.utf8.count
      height = max(height, value.height + 1)
      guard try skipToContent() else { break }
      try refuseTabIndentation()
      guard !atDocumentMarker, column >= indent else { break }
      if column > indent {
        throw fail(
          "this line is indented more than the mapping's keys (column \(indent + 1)) but does not continue a value")
      }
    }
    depth -= 1
    return Parsed(node: YAMLNode(.mapping(members), at: start), size: size, height: height)
  }

  mutating func blockSequence(indent: Int) throws(YAMLSyntaxError) -> Parsed {
    let start = position
    try enter()
    var elements: [YAMLNode] = []
    var size = 1
    var height = 1
    while true {
      index += 1
      let element = try valueAfterIndicator(parent: indent, context: .afterDash)
      elements.append(element.node)
      size += element.size
      height = max(height, element.height + 1)
      guard try skipToContent() else { break }
      try refuseTabIndentation()
      guard !atDocumentMarker, column >= indent else { break }
      let isEntry = current == ascii("-") && isBlankOrEnd(at(index + 1))
      if column == indent {
        if isEntry { continue }
        break
      }
      throw fail(
        "this line is indented more than the sequence's entries (column \(indent + 1)) but does not continue a value")
    }
    depth -= 1
    return Parsed(node: YAMLNode(.sequence(elements), at: start), size: size, height: height)
  }

  // MARK: Properties and aliases

  /// Reads a tag and an anchor, in either order, each at most once.
  mutating func properties(inFlow: Bool) throws(YAMLSyntaxError) -> (tag: String?, anchor: String?) {
    var tag: String?
    var anchor: String?
    while current == ascii("!") || current == ascii("&") {
      if current == ascii("!") {
        if tag != nil { throw fail("a node may have only one tag") }
        tag = try readTag(inFlow: inFlow)
      } else {
        if anchor != nil { throw fail("a node may have only one anchor") }
        index += 1
        anchor = try name(inFlow: inFlow, of: "anchor")
      }
      let before = index
      while isBlank(current) { index += 1 }
      if index == before && !isBlankOrEnd(current) && !(inFlow && isFlowIndicator(current)) {
        throw fail("a tag or anchor must be followed by a space")
      }
    }
    return (tag, anchor)
  }

  mutating func readTag(inFlow: Bool) throws(YAMLSyntaxError) -> String {
    let start = index
    index += 1
    if current == ascii("<") { throw fail("verbatim tags (`!<...>`) are not supported") }
    if current == ascii("!") { index += 1 }
    while true {
      let byte = current
      if isBlankOrEnd(byte) || inFlow && isFlowIndicator(byte) { break }
      if byte == ascii("!") {
        throw fail("named tag handles (`!name!suffix`) are not supported; they need a `%TAG` directive")
      }
      let allowed =
        byte >= ascii("a") && byte <= ascii("z") || byte >= ascii("A") && byte <= ascii("Z")
        || byte >= ascii("0") && byte <= ascii("9") || "-#;/?:@&=+$_.~*'()%,[]".utf8.contains(byte)
      guard allowed else { throw fail("\(describe(byte)) cannot appear in a tag") }
      index += 1
    }
    let tag = String(decoding: bytes[start..<index], as: UTF8.self)
    if tag == "!!" { throw YAMLSyntaxError("the tag `!!` needs a name, as in `!!str`", at: position(of: start)) }
    return tag
  }

  mutating func name(inFlow: Bool, of what: String) throws(YAMLSyntaxError) -> String {
    let start = index
    while !isBlankOrEnd(current) && !isFlowIndicator(current) { index += 1 }
    guard index > start else { throw fail("an \(what) needs a name") }
    return String(decoding: bytes[start..<index], as: UTF8.self)
  }

  mutating func alias(inFlow: Bool) throws(YAMLSyntaxError) -> Parsed {
    let start = position
    index += 1
    guard !isBlankOrEnd(current), !isFlowIndicator(current) else {
      throw YAMLSyntaxError(
        "`*` starts an alias in YAML; quote it (`'*'`) to write the wildcard", at: start)
    }
    let name = try name(inFlow: inFlow, of: "alias")
    guard var parsed = anchors[name] else {
      throw YAMLSyntaxError(
        "the alias `*\(name)` refers to no anchor defined before it (quote a string that starts with `*`)",
        at: start)
    }
    if depth + parsed.height > maximumDepth {
      throw YAMLSyntaxError(
        "the alias `*\(name)` copies a node that would nest sequences and mappings deeper than "
          + "\(maximumDepth) levels here",
        at: start)
    }
    aliasExpansion += parsed.size
    if aliasExpansion > maximumAliasExpansion {
      throw YAMLSyntaxError(
        "aliases expand the document by more than \(maximumAliasExpansion) nodes and bytes "
          + "(a \"billion laughs\" input?)",
        at: start)
    }
    parsed.node.alias = name
    parsed.node.anchor = nil
    parsed.node.position = start
    return parsed
  }

  // MARK: Plain scalars

  /// Reads a plain scalar starting at `index`, with its continuation lines (indented more than `parent` in block
  /// context). Stops before a comment or, in flow context, an indicator; `index` ends after the last character.
  mutating func plainScalar(parent: Int, inFlow: Bool) throws(YAMLSyntaxError) -> Parsed {
    let start = position
    var text: [UInt8] = []
    try plainSegment(into: &text, inFlow: inFlow)
    while true {
      // Look past the line break for a continuation line.
      let saved = (index, line, lineStart)
      while isBlank(current) { index += 1 }
      guard isBreak(current) else {
        index = saved.0
        break
      }
      var emptyLines = 0
      consumeBreak()
      while true {
        while isBlank(current) { index += 1 }
        guard isBreak(current) else { break }
        consumeBreak()
        emptyLines += 1
      }
      var indentation = lineStart
      while at(indentation) == space { indentation += 1 }
      let continues =
        !atEnd && !isDocumentMarker(at: lineStart) && current != ascii("#")
        && (inFlow || indentation - lineStart > parent)
        && !(inFlow && (isFlowIndicator(current) || current == ascii(":") && isValueIndicatorEnd(at(index + 1))))
      guard continues else {
        if inFlow && isDocumentMarker(at: lineStart) {
          throw fail("a document marker inside a flow collection")
        }
        (index, line, lineStart) = saved
        break
      }
      if emptyLines == 0 {
        text.append(space)
      } else {
        text.append(contentsOf: repeatElement(lineFeed, count: emptyLines))
      }
      try plainSegment(into: &text, inFlow: inFlow)
    }
    let string = String(decoding: text, as: UTF8.self)
    return Parsed(node: YAMLNode(.scalar(string, .plain), at: start), size: 1 + text.count)
  }

  /// Reads one line of a plain scalar without its trailing blanks.
  mutating func plainSegment(into text: inout [UInt8], inFlow: Bool) throws(YAMLSyntaxError) {
    let start = index
    var end = index
    while true {
      let byte = current
      if byte == 0 || isBreak(byte) { break }
      if byte == ascii(":") {
        let next = at(index + 1)
        if isBlankOrEnd(next) || inFlow && isFlowIndicator(next) {
          if inFlow { break }
          throw fail(
            "`: ` inside a plain scalar that is not a mapping key; quote the value (a key must be on the first line "
              + "of the mapping entry)")
        }
      }
      if byte == ascii("#") && index > start && isBlank(bytes[index - 1]) { break }
      if inFlow && isFlowIndicator(byte) { break }
      index += 1
      if !isBlank(byte) { end = index }
    }
    text.append(contentsOf: bytes[start..<end])
    index = end
  }

  // MARK: Quoted scalars

  mutating func quotedScalar(parent: Int) throws(YAMLSyntaxError) -> Parsed {
    let start = position
    let quote = current
    let double = quote == ascii("\"")
    index += 1
    var text: [UInt8] = []
    while true {
      let runStart = index
      while true {
        let byte = current
        if byte == quote || byte == 0 || isBreak(byte) || isBlank(byte) || double && byte == ascii("\\") {
          break
        }
        index += 1
      }
      text.append(contentsOf: bytes[runStart..<index])
      let byte = current
      if byte == 0 {
        throw YAMLSyntaxError(
          "the document ends inside a \(double ? "double" : "single")-quoted scalar that starts here", at: start)
      }
      if byte == quote {
        if !double && at(index + 1) == quote {
          text.append(quote)
          index += 2
          continue
        }
        index += 1
        break
      }
      if byte == ascii("\\") {
        if isBreak(at(index + 1)) {
          // An escaped line break: joined without a space; empty lines still give line feeds.
          index += 1
          try foldQuotedLines(into: &text, escaped: true, quoteStart: start)
          continue
        }
        try escape(into: &text)
        continue
      }
      // White space: kept unless it ends the line.
      let blankStart = index
      while isBlank(current) { index += 1 }
      if isBreak(current) {
        try foldQuotedLines(into: &text, escaped: false, quoteStart: start)
      } else {
        text.append(contentsOf: bytes[blankStart..<index])
      }
    }
    let string = String(decoding: text, as: UTF8.self)
    return Parsed(
      node: YAMLNode(.scalar(string, double ? .doubleQuoted : .singleQuoted), at: start), size: 1 + text.count)
  }

  /// At a line break inside a quoted scalar: a single break becomes a space (nothing if it was escaped), each
  /// empty line a line feed; the next line's leading white space is dropped.
  mutating func foldQuotedLines(
    into text: inout [UInt8], escaped: Bool, quoteStart: SourcePosition
  ) throws(YAMLSyntaxError) {
    consumeBreak()
    var emptyLines = 0
    while true {
      while isBlank(current) { index += 1 }
      if isDocumentMarker(at: lineStart) && index == lineStart {
        throw fail("a document marker inside a quoted scalar")
      }
      guard isBreak(current) else { break }
      consumeBreak()
      emptyLines += 1
    }
    if atEnd { throw YAMLSyntaxError("the document ends inside a quoted scalar that starts here", at: quoteStart) }
    if emptyLines > 0 {
      text.append(contentsOf: repeatElement(lineFeed, count: emptyLines))
    } else if !escaped {
      text.append(space)
    }
  }

  mutating func escape(into text: inout [UInt8]) throws(YAMLSyntaxError) {
    let escapeStart = index
    index += 1
    let byte = current
    index += 1
    func append(_ scalar: Unicode.Scalar) { text.append(contentsOf: String(scalar).utf8) }
    switch byte {
    case ascii("0"): text.append(0)
    case ascii("a"): text.append(0x07)
    case ascii("b"): text.append(0x08)
    case ascii("t"), tab: text.append(tab)
    case ascii("n"): text.append(lineFeed)
    case ascii("v"): text.append(0x0B)
    case ascii("f"): text.append(0x0C)
    case ascii("r"): text.append(carriageReturn)
    case ascii("e"): text.append(0x1B)
    case space: text.append(space)
    case ascii("\""): text.append(ascii("\""))
    case ascii("/"): text.append(ascii("/"))
    case ascii("\\"): text.append(ascii("\\"))
    case ascii("N"): append("\u{85}")
    case ascii("_"): append("\u{A0}")
    case ascii("L"): append("\u{2028}")
    case ascii("P"): append("\u{2029}")
    case ascii("x"), ascii("u"), ascii("U"):
      let digits = byte == ascii("x") ? 2 : byte == ascii("u") ? 4 : 8
      var value = try hex(digits, escapeStart: escapeStart)
      if byte == ascii("u") && (0xD800...0xDBFF).contains(value) {
        // A UTF-16 surrogate pair, as JSON writes characters beyond the Basic Multilingual Plane.
        guard current == ascii("\\"), at(index + 1) == ascii("u") else {
          throw error(atLineOffset: escapeStart, "a high surrogate escape must be followed by a low surrogate escape")
        }
        index += 2
        let low = try hex(4, escapeStart: escapeStart)
        guard (0xDC00...0xDFFF).contains(low) else {
          throw error(atLineOffset: escapeStart, "a high surrogate escape must be followed by a low surrogate escape")
        }
        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
      }
      guard let scalar = Unicode.Scalar(value) else {
        throw error(atLineOffset: escapeStart, "the escape names no character (a lone surrogate, or beyond U+10FFFF)")
      }
      append(scalar)
    default:
      let shown = byte == 0 || isBreak(byte) ? "" : String(decoding: [byte], as: UTF8.self)
      throw error(atLineOffset: escapeStart, "invalid escape `\\\(shown)` in a double-quoted scalar")
    }
  }

  mutating func hex(_ count: Int, escapeStart: Int) throws(YAMLSyntaxError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<count {
      let byte = current
      let digit: UInt32
      switch byte {
      case ascii("0")...ascii("9"): digit = UInt32(byte - ascii("0"))
      case ascii("a")...ascii("f"): digit = UInt32(byte - ascii("a") + 10)
      case ascii("A")...ascii("F"): digit = UInt32(byte - ascii("A") + 10)
      default: throw error(atLineOffset: escapeStart, "this escape needs \(count) hexadecimal digits")
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  // MARK: Block scalars

  mutating func blockScalar(parent: Int, start: SourcePosition) throws(YAMLSyntaxError) -> Parsed {
    let literal = current == ascii("|")
    index += 1
    enum Chomping { case clip, strip, keep }
    var chomping = Chomping.clip
    var explicitIndent: Int?
    for _ in 0..<2 {
      let byte = current
      if (byte == ascii("-") || byte == ascii("+")) && chomping == .clip {
        chomping = byte == ascii("-") ? .strip : .keep
        index += 1
      } else if byte >= ascii("1") && byte <= ascii("9") && explicitIndent == nil {
        explicitIndent = Int(byte - ascii("0"))
        index += 1
      } else if byte == ascii("0") {
        throw fail("a block scalar's indentation indicator is 1 to 9")
      }
    }
    if !isBlankOrEnd(current) {
      throw fail(
        "unexpected \(describe(current)) in the block scalar header (`\(literal ? "|" : ">")`, then optionally "
          + "`-` or `+` and a digit)")
    }
    try finishLine(after: "the block scalar header")

    // The content's indentation: given, or that of the first line with content.
    var indent: Int
    if let explicitIndent {
      indent = max(parent, 0) + explicitIndent
    } else {
      var cursor = index
      var longestEmpty = 0
      var longestEmptyLine = line
      var lineNumber = line
      indent = 0
      while true {
        var spaces = 0
        while at(cursor + spaces) == space { spaces += 1 }
        let after = at(cursor + spaces)
        if isBreak(after) {
          if spaces > longestEmpty {
            longestEmpty = spaces
            longestEmptyLine = lineNumber
          }
          cursor += spaces
          if at(cursor) == carriageReturn { cursor += 1 }
          cursor += 1
          lineNumber += 1
          continue
        }
        indent = after == 0 || spaces <= parent ? max(parent + 1, longestEmpty) : spaces
        break
      }
      if longestEmpty > indent {
        throw YAMLSyntaxError(
          "an empty line at the start of a block scalar has more spaces than its first line",
          at: SourcePosition(line: longestEmptyLine, column: 1))
      }
    }

    var text: [UInt8] = []
    var pendingBreak = false
    var trailingBreaks = 0
    var previousMoreIndented = false
    while !atEnd {
      let startOfLine = index
      var spaces = 0
      while spaces < indent && at(index) == space {
        index += 1
        spaces += 1
      }
      if isBreak(current) {
        // An empty line (or one of spaces only, shorter than the content's indentation).
        trailingBreaks += 1
        consumeBreak()
        continue
      }
      if spaces < indent || atEnd || indent == 0 && isDocumentMarker(at: lineStart) {
        index = startOfLine
        break
      }
      let contentStart = index
      while !atEnd && !isBreak(current) { index += 1 }
      let moreIndented = isBlank(bytes[contentStart])
      if !literal && pendingBreak && !previousMoreIndented && !moreIndented {
        if trailingBreaks == 0 { text.append(space) }
      } else if pendingBreak {
        text.append(lineFeed)
      }
      text.append(contentsOf: repeatElement(lineFeed, count: trailingBreaks))
      trailingBreaks = 0
      text.append(contentsOf: bytes[contentStart..<index])
      previousMoreIndented = moreIndented
      pendingBreak = isBreak(current)
      consumeBreak()
    }
    switch chomping {
    case .strip: break
    case .clip: if pendingBreak { text.append(lineFeed) }
    case .keep:
      if pendingBreak { text.append(lineFeed) }
      text.append(contentsOf: repeatElement(lineFeed, count: trailingBreaks))
    }
    let string = String(decoding: text, as: UTF8.self)
    return Parsed(node: YAMLNode(.scalar(string, literal ? .literal : .folded), at: start), size: 1 + text.count)
  }

  // MARK: Flow collections

  /// Skips white space, line breaks and comments inside a flow collection.
  mutating func skipFlowSpace(opening: SourcePosition, kind: String) throws(YAMLSyntaxError) {
    while true {
      let byte = current
      if isBlank(byte) {
        index += 1
      } else if isBreak(byte) {
        consumeBreak()
        if isDocumentMarker(at: index) { throw fail("a document marker inside a flow \(kind)") }
      } else if byte == ascii("#") {
        if index > lineStart && !isBlankOrEnd(bytes[index - 1]) {
          throw fail("a comment must be separated from what precedes it by a space")
        }
        while !atEnd && !isBreak(current) { index += 1 }
      } else if byte == 0 {
        throw YAMLSyntaxError("the document ends inside the flow \(kind) that starts here", at: opening)
      } else {
        return
      }
    }
  }

  mutating func flowCollection(parent: Int) throws(YAMLSyntaxError) -> Parsed {
    let start = position
    try enter()
    let isSequence = current == ascii("[")
    let kind = isSequence ? "sequence" : "mapping"
    let close = isSequence ? ascii("]") : ascii("}")
    index += 1
    var elements: [YAMLNode] = []
    var members: [YAMLNode.Member] = []
    var size = 1
    var height = 1
    while true {
      try skipFlowSpace(opening: start, kind: kind)
      if current == close {
        index += 1
        break
      }
      if current == ascii(",") { throw fail("an empty entry in a flow \(kind) (two commas, or a comma first)") }
      if current == ascii("?") && isBlankOrEnd(at(index + 1)) {
        throw fail("explicit mapping keys (`? `) are not supported")
      }
      if isSequence {
        let element = try flowNode(parent: parent, opening: start, kind: kind)
        try skipFlowSpace(opening: start, kind: kind)
        if current == ascii(":") {
          throw fail("a `key: value` pair inside a flow sequence is not supported; write it as `{key: value}`")
        }
        elements.append(element.node)
        size += element.size
        height = max(height, element.height + 1)
      } else {
        let keyPosition = position
        let key: String
        let keyStyle: YAMLNode.ScalarStyle
        switch current {
        case ascii("\""), ascii("'"):
          let parsed = try quotedScalar(parent: parent)
          guard case .scalar(let text, let style) = parsed.node.kind else { throw fail("expected a mapping key") }
          key = text
          keyStyle = style
        case ascii("["), ascii("{"): throw fail("a flow collection as a mapping key is not supported")
        case ascii("*"): throw fail("an alias as a mapping key is not supported")
        case ascii("!"), ascii("&"): throw fail("a tag or anchor on a mapping key is not supported")
        default:
          try checkPlainStart(inFlow: true)
          let parsed = try plainScalar(parent: parent, inFlow: true)
          key = parsed.node.scalarText ?? ""
          keyStyle = .plain
          if key == "<<" {
            throw YAMLSyntaxError(
              "merge keys (`<<`) are not supported, and CloudFormation refuses them; write the members out",
              at: keyPosition)
          }
        }
        try skipFlowSpace(opening: start, kind: kind)
        var value: Parsed
        if current == ascii(":") {
          index += 1
          if keyStyle == .plain && !(isBlankOrEnd(current) || isFlowIndicator(current)) {
            throw fail("`:` after a plain key must be followed by a space")
          }
          try skipFlowSpace(opening: start, kind: kind)
          if current == ascii(",") || current == close {
            value = Parsed(node: YAMLNode(.scalar("", .plain), at: position), size: 1)
          } else {
            value = try flowNode(parent: parent, opening: start, kind: kind)
          }
        } else if current == ascii(",") || current == close {
          value = Parsed(node: YAMLNode(.scalar("", .plain), at: position), size: 1)
        } else {
          throw fail("expected `:` after the flow mapping key")
        }
        members.append(YAMLNode.Member(key: key, keyStyle: keyStyle, keyPosition: keyPosition, value: value.node))
        size += value.size + key.utf8.count
        height = max(height, value.height + 1)
      }
      try skipFlowSpace(opening: start, kind: kind)
      if current == ascii(",") {
        index += 1
        continue
      }
      if current == close {
        index += 1
        break
      }
      throw fail("expected `,` or `\(isSequence ? "]" : "}")` in the flow \(kind), found \(describe(current))")
    }
    depth -= 1
    let node = YAMLNode(isSequence ? .sequence(elements) : .mapping(members), at: start)
    return Parsed(node: node, size: size, height: height)
  }

  /// Reads a node inside a flow collection.
  mutating func flowNode(parent: Int, opening: SourcePosition, kind: String) throws(YAMLSyntaxError) -> Parsed {
    let start = position
    if current == ascii("!") || current == ascii("&") {
      let (tag, anchor) = try properties(inFlow: true)
      try skipFlowSpace(opening: opening, kind: kind)
      var parsed: Parsed
      if current == ascii(",") || current == ascii("]") || current == ascii("}") || current == ascii(":") {
        parsed = Parsed(node: YAMLNode(.scalar("", .plain), at: start), size: 1)
      } else {
        if current == ascii("*") { throw fail("an alias cannot have a tag or an anchor") }
        if current == ascii("!") || current == ascii("&") { throw fail("a node may have one tag and one anchor") }
        parsed = try flowNode(parent: parent, opening: opening, kind: kind)
      }
      parsed.node.tag = tag ?? parsed.node.tag
      parsed.node.position = start
      if let anchor {
        parsed.node.anchor = anchor
        anchors[anchor] = parsed
      }
      return parsed
    }
    switch current {
    case ascii("["), ascii("{"): return try flowCollection(parent: parent)
    case ascii("\""), ascii("'"): return try quotedScalar(parent: parent)
    case ascii("*"): return try alias(inFlow: true)
    case ascii("|"), ascii(">"): throw fail("a block scalar (`|` or `>`) cannot appear inside a flow collection")
    default:
      try checkPlainStart(inFlow: true)
      return try plainScalar(parent: parent, inFlow: true)
    }
  }
}
