import IAMPolicy

/// Collects the findings for one SCIM payload, locating each by JSON pointer, JSON path and line:column.
struct SCIMContext {
  let file: String
  /// The payload's path in its file, such as `$.Resources[2]`.
  let root: JSONPath
  /// The user name or group name the payload is about.
  var subject: String?
  private(set) var findings: [Finding] = []

  init(file: String, root: JSONPath) {
    self.file = file
    self.root = root
  }

  /// Records a finding about the element at `pointer` (components relative to the payload), found at `value`.
  mutating func add(
    _ code: FindingCode, _ message: String, at pointer: [JSONPath.Component], _ value: JSONValue,
    severity: Finding.Severity? = nil
  ) {
    let location = FindingLocation(
      file: file, jsonPointer: Self.pointer(pointer), jsonPath: JSONPath(components: root.components + pointer),
      position: value.position)
    findings.append(Finding(code, message, severity: severity, subject: subject, location: location))
  }

  /// The RFC 6901 pointer of relative components: `/name/givenName`, `/emails/1`; `~` and `/` escaped.
  static func pointer(_ components: [JSONPath.Component]) -> String {
    components.map { component in
      switch component {
      case .index(let index): "/\(index)"
      case .key(let key): "/" + key.map { $0 == "~" ? "~0" : $0 == "/" ? "~1" : String($0) }.joined()
      }
    }.joined()
  }
}
