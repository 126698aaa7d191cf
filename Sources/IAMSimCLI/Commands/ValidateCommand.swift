import IAMPolicy

/// `iamsim validate`: check policy files against the IAM grammar and report every problem.
enum ValidateCommand {
  static let help = """
    USAGE: iamsim validate FILE... [--type identity|resource|scp|rcp|boundary|session] [--format text|json]
                           [--fail-on error|security-warning|warning|suggestion]

    Checks each policy file and lists every problem with its code, severity, JSON path and line:column.
    Without --type, a policy whose statements have a Principal is read as a resource policy, any other
    as an identity policy.

    Exit status: 0 no errors; 1 findings at or above --fail-on; 2 a file has errors or cannot be read.

    """

  static func run(_ arguments: [String], out: (String) -> Void, err: (String) -> Void) throws -> ExitStatus {
    let parsed = try ParsedArguments(arguments, valueFlags: ["--type", "--format", "--fail-on"], switchFlags: [],
                                     command: "validate")
    let format = try parsed.format(["text", "json"], command: "validate")
    guard !parsed.positionals.isEmpty else { throw UsageError("name at least one policy file", command: "validate") }
    var kind: PolicyKind?
    if let type = try parsed.single("--type", command: "validate") {
      guard let given = PolicyKind(rawValue: type) else {
        throw UsageError("`--type` must be one of identity, resource, scp, rcp, boundary, session", command: "validate")
      }
      kind = given
    }
    var failOn: Diagnostic.Severity?
    if let text = try parsed.single("--fail-on", command: "validate") {
      guard let severity = Diagnostic.Severity(rawValue: text), severity != .note else {
        throw UsageError("`--fail-on` must be error, security-warning, warning or suggestion", command: "validate")
      }
      failOn = severity
    }
    var status = ExitStatus.success
    var files: [JSONOutput] = []
    for path in parsed.positionals {
      var diagnostics: [Diagnostic]
      var usedKind = kind ?? .identity
      do throws(InputError) {
        let json = try InputFile.readJSON(path)
        usedKind = kind ?? inferredKind(json)
        diagnostics = PolicyDocument.diagnose(json: json, name: path, kind: usedKind, file: path)
      } catch {
        diagnostics = error.diagnostics
      }
      if diagnostics.containsErrors {
        status = status.worst(.invalidInput)
      } else if let failOn, diagnostics.contains(where: { $0.severity <= failOn }) {
        status = status.worst(.failure)
      }
      if format == "json" {
        files.append(.object([("file", .string(path)), ("type", .string(usedKind.rawValue)),
                              ("valid", .bool(!diagnostics.containsErrors)),
                              ("diagnostics", .array(diagnostics.map(JSONOutput.diagnostic)))]))
      } else {
        for diagnostic in diagnostics { out(diagnostic.formatted + "\n") }
        let errors = diagnostics.filter { $0.severity == .error }.count
        out("\(path): \(errors == 0 ? "valid" : "invalid") \(usedKind.displayName), \(errors) error\(errors == 1 ? "" : "s"), \(diagnostics.count - errors) other finding\(diagnostics.count - errors == 1 ? "" : "s")\n")
      }
    }
    if format == "json" { out(JSONOutput.object([("version", 1), ("files", .array(files))]).rendered(pretty: true) + "\n") }
    return status
  }

  /// A resource policy when any statement has a Principal or NotPrincipal, else an identity policy.
  static func inferredKind(_ json: JSONValue) -> PolicyKind {
    let statement = json["Statement"]
    let statements = statement?.elements ?? (statement.map { [$0] } ?? [])
    return statements.contains { $0["Principal"] != nil || $0["NotPrincipal"] != nil } ? .resource : .identity
  }
}
