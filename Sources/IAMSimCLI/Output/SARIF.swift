import IAMPolicy

/// Renders diagnostics as a SARIF 2.1.0 log, the format code-scanning services read.
enum SARIF {
  static func log(_ diagnostics: [Diagnostic]) -> JSONOutput {
    let rules = Array(Set(diagnostics.map(\.code.rawValue))).sorted()
    let results: [JSONOutput] = diagnostics.map { diagnostic in
      var location: [(String, JSONOutput)] = [("artifactLocation", .object([("uri", .string(diagnostic.file ?? "policy.json"))]))]
      if let position = diagnostic.position {
        location.append(("region", .object([("startLine", .int(position.line)), ("startColumn", .int(position.column))])))
      }
      return .object([
        ("ruleId", .string(diagnostic.code.rawValue)),
        ("level", .string(level(diagnostic.severity))),
        ("message", .object([("text", .string(diagnostic.message))])),
        ("locations", .array([.object([
          ("physicalLocation", .object(location)),
          ("logicalLocations", .array([.object([("fullyQualifiedName", .string(diagnostic.path.description))])])),
        ])])),
        ("properties", .object([("severity", .string(diagnostic.severity.rawValue))])),
      ])
    }
    return .object([
      ("$schema", "https://json.schemastore.org/sarif-2.1.0.json"),
      ("version", "2.1.0"),
      ("runs", .array([.object([
        ("tool", .object([("driver", .object([
          ("name", "iamsim"), ("version", .string(Tool.version)),
          ("rules", .array(rules.map { .object([("id", .string($0))]) })),
        ]))])),
        ("results", .array(results)),
      ])])),
    ])
  }

  /// SARIF levels: error, warning, note.
  static func level(_ severity: Diagnostic.Severity) -> String {
    switch severity {
    case .error: "error"
    case .securityWarning, .warning: "warning"
    case .suggestion, .note: "note"
    }
  }
}
