import IAMEvaluation
import IAMPolicy

/// The compact JSON line `eval --requests` writes for each response.
///
/// The bytes are those of `JSONOutput.response(_:for:)` rendered compact (pinned by `ResponseLineTests`), written
/// straight into the output buffer: building that tree first costs more than deciding the request.
enum ResponseLine {
  /// Appends the response to `request`, without a line feed.
  static func write(_ response: Response, for request: AuthorizationRequest, to bytes: inout [UInt8]) {
    raw("{\"action\":", &bytes)
    string(request.action, &bytes)
    raw(",\"resource\":", &bytes)
    string(request.resource, &bytes)
    raw(",\"principal\":", &bytes)
    string(request.principal.arn, &bytes)
    raw(",\"decision\":", &bytes)
    string(response.decision.rawValue, &bytes)
    raw(",\"decidingLayer\":", &bytes)
    string(response.decidingLayer.name, &bytes)
    raw(",\"rule\":", &bytes)
    string(response.rule.rawValue, &bytes)
    raw(",\"reason\":", &bytes)
    string(response.reason, &bytes)
    raw(",\"determiningStatements\":", &bytes)
    array(response.determiningStatements, &bytes, statement)
    raw(",\"layers\":", &bytes)
    array(response.layers, &bytes) { layer, bytes in
      raw("{\"layer\":", &bytes)
      string(layer.layer.name, &bytes)
      raw(",\"verdict\":", &bytes)
      string(layer.verdict.rawValue, &bytes)
      raw(",\"statements\":", &bytes)
      array(layer.statements, &bytes, statement)
      bytes.append(UInt8(ascii: "}"))
    }
    raw(",\"missingContextKeys\":", &bytes)
    array(response.missingContextKeys, &bytes) { key, bytes in string(key, &bytes) }
    raw(",\"diagnostics\":", &bytes)
    array(response.diagnostics, &bytes) { diagnostic, bytes in JSONOutput.diagnostic(diagnostic).render(appendingTo: &bytes) }
    bytes.append(UInt8(ascii: "}"))
  }

  private static func statement(_ reference: StatementReference, _ bytes: inout [UInt8]) {
    raw("{\"policy\":", &bytes)
    string(reference.policy, &bytes)
    raw(",\"layer\":", &bytes)
    string(reference.layer.name, &bytes)
    raw(",\"sid\":", &bytes)
    if let sid = reference.sid { string(sid, &bytes) } else { raw("null", &bytes) }
    raw(",\"index\":", &bytes)
    int(reference.index, &bytes)
    raw(",\"effect\":", &bytes)
    string(reference.effect.rawValue, &bytes)
    raw(",\"path\":", &bytes)
    string(reference.path.description, &bytes)
    raw(",\"line\":", &bytes)
    int(reference.position.line, &bytes)
    raw(",\"column\":", &bytes)
    int(reference.position.column, &bytes)
    bytes.append(UInt8(ascii: "}"))
  }

  /// Appends a string in quotes, as `JSONOutput.appendString` writes it: text without a byte that JSON output escapes
  /// (control characters, `"`, `\\`, U+007F, and the lead byte of U+2028 and U+2029) is copied whole, after one scan
  /// of eight bytes at a time; other text goes to `JSONOutput.appendString`.
  private static func string(_ text: String, _ bytes: inout [UInt8]) {
    var text = text
    let copied = text.withUTF8 { utf8 -> Bool in
      guard isPlain(utf8) else { return false }
      bytes.append(UInt8(ascii: "\""))
      bytes.append(contentsOf: utf8)
      bytes.append(UInt8(ascii: "\""))
      return true
    }
    if !copied { JSONOutput.appendString(text, to: &bytes) }
  }

  /// Whether no byte needs escaping or a closer look.
  private static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = utf8.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var offset = 0
    while offset + 8 <= utf8.count {
      if mayNeedEscape(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) { return false }
      offset += 8
    }
    while offset < utf8.count {
      let byte = base[offset]
      if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xE2 { return false }
      offset += 1
    }
    return true
  }

  /// Whether one of eight bytes is below 0x20, or `"`, `\\`, 0x7F or 0xE2 (may report more, never less).
  @inline(__always)
  private static func mayNeedEscape(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    @inline(__always) func hasZero(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
    let below0x20 = (word &- ones &* 0x20) & ~word & highs != 0
    return below0x20 || hasZero(word ^ (ones &* 0x22)) || hasZero(word ^ (ones &* 0x5C)) || hasZero(word ^ (ones &* 0x7F))
      || hasZero(word ^ (ones &* 0xE2))
  }

  /// Appends ASCII text.
  private static func raw(_ text: StaticString, _ bytes: inout [UInt8]) {
    bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// Appends an integer's decimal digits, as `String(value)` spells them.
  private static func int(_ value: Int, _ bytes: inout [UInt8]) {
    guard value >= 0 else { return bytes.append(contentsOf: String(value).utf8) }
    if value >= 10 { int(value / 10, &bytes) }
    bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value % 10))
  }

  private static func array<Element>(
    _ elements: [Element], _ bytes: inout [UInt8], _ write: (Element, inout [UInt8]) -> Void
  ) {
    bytes.append(UInt8(ascii: "["))
    for (offset, element) in elements.enumerated() {
      if offset > 0 { bytes.append(UInt8(ascii: ",")) }
      write(element, &bytes)
    }
    bytes.append(UInt8(ascii: "]"))
  }
}
