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
    JSONOutput.appendString(request.action, to: &bytes)
    raw(",\"resource\":", &bytes)
    JSONOutput.appendString(request.resource, to: &bytes)
    raw(",\"principal\":", &bytes)
    JSONOutput.appendString(request.principal.arn, to: &bytes)
    raw(",\"decision\":", &bytes)
    JSONOutput.appendString(response.decision.rawValue, to: &bytes)
    raw(",\"decidingLayer\":", &bytes)
    JSONOutput.appendString(response.decidingLayer.name, to: &bytes)
    raw(",\"rule\":", &bytes)
    JSONOutput.appendString(response.rule.rawValue, to: &bytes)
    raw(",\"reason\":", &bytes)
    JSONOutput.appendString(response.reason, to: &bytes)
    raw(",\"determiningStatements\":", &bytes)
    array(response.determiningStatements, &bytes, statement)
    raw(",\"layers\":", &bytes)
    array(response.layers, &bytes) { layer, bytes in
      raw("{\"layer\":", &bytes)
      JSONOutput.appendString(layer.layer.name, to: &bytes)
      raw(",\"verdict\":", &bytes)
      JSONOutput.appendString(layer.verdict.rawValue, to: &bytes)
      raw(",\"statements\":", &bytes)
      array(layer.statements, &bytes, statement)
      bytes.append(UInt8(ascii: "}"))
    }
    raw(",\"missingContextKeys\":", &bytes)
    array(response.missingContextKeys, &bytes) { key, bytes in JSONOutput.appendString(key, to: &bytes) }
    raw(",\"diagnostics\":", &bytes)
    array(response.diagnostics, &bytes) { diagnostic, bytes in JSONOutput.diagnostic(diagnostic).render(appendingTo: &bytes) }
    bytes.append(UInt8(ascii: "}"))
  }

  private static func statement(_ reference: StatementReference, _ bytes: inout [UInt8]) {
    raw("{\"policy\":", &bytes)
    JSONOutput.appendString(reference.policy, to: &bytes)
    raw(",\"layer\":", &bytes)
    JSONOutput.appendString(reference.layer.name, to: &bytes)
    raw(",\"sid\":", &bytes)
    if let sid = reference.sid { JSONOutput.appendString(sid, to: &bytes) } else { raw("null", &bytes) }
    raw(",\"index\":", &bytes)
    int(reference.index, &bytes)
    raw(",\"effect\":", &bytes)
    JSONOutput.appendString(reference.effect.rawValue, to: &bytes)
    raw(",\"path\":", &bytes)
    JSONOutput.appendString(reference.path.description, to: &bytes)
    raw(",\"line\":", &bytes)
    int(reference.position.line, &bytes)
    raw(",\"column\":", &bytes)
    int(reference.position.column, &bytes)
    bytes.append(UInt8(ascii: "}"))
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
