import Foundation
import IAMCatalog
import IAMManagedPolicies
import IAMPolicy

/// `iamsim validate`: check policy files against the IAM grammar and report every problem.
enum ValidateCommand {
  static let help = """
    USAGE: iamsim validate FILE|NAME|ARN... [--type identity|resource|scp|rcp|boundary|session] [--format text|json|sarif]
                           [--fail-on error|security-warning|warning|suggestion] [--no-catalog]

    Checks each policy file against the IAM grammar and lists every problem with its code, severity, JSON
    path and line:column. Without --type, a policy whose statements have a Principal is read as a resource
    policy, any other as an identity policy.

    A grammatically valid policy is then checked against the shipped AWS catalog, with Access Analyzer's
    severities: unknown services and actions, patterns that match no action (errors); Allow with NotAction,
    iam:PassRole on `*` (security warnings); condition keys no action supports, operators of the wrong type
    for a key, resources that fit none of the actions' resource types, shadowed statements (warnings);
    redundant statements (suggestions). --no-catalog skips these. --format sarif writes SARIF 2.1.0 for code
    scanning.

    Exit status: 0 no grammar error and no catalog finding at or above --fail-on (default: error);
    1 such a finding; 2 a file has grammar errors or cannot be read.

    """

  static func run(_ arguments: [String], out: (String) -> Void, err: (String) -> Void) throws -> ExitStatus {
    let parsed = try ParsedArguments(arguments, valueFlags: ["--type", "--format", "--fail-on"], switchFlags: ["--no-catalog"],
                                     command: "validate")
    let format = try parsed.format(["text", "json", "sarif"], command: "validate")
    let checks = parsed.has("--no-catalog") ? nil : CatalogPolicyChecks(catalog: try CatalogCommand.loadBundled())
    guard !parsed.positionals.isEmpty else { throw UsageError("name at least one policy file", command: "validate") }
    var kind: PolicyKind?
    if let type = try parsed.single("--type", command: "validate") {
      guard let given = PolicyKind(rawValue: type) else {
        throw UsageError("`--type` must be one of identity, resource, scp, rcp, boundary, session", command: "validate")
      }
      kind = given
    }
    var failOn = Diagnostic.Severity.error
    if let text = try parsed.single("--fail-on", command: "validate") {
      guard let severity = Diagnostic.Severity(rawValue: text), severity != .note else {
        throw UsageError("`--fail-on` must be error, security-warning, warning or suggestion", command: "validate")
      }
      failOn = severity
    }
    var status = ExitStatus.success
    var files: [JSONOutput] = []
    var all: [Diagnostic] = []
    for path in parsed.positionals {
      var diagnostics: [Diagnostic]
      var usedKind = kind ?? .identity
      do throws(InputError) {
        let (json, isAWSManaged) = try readPolicyJSON(path)
        usedKind = kind ?? inferredKind(json)
        diagnostics = PolicyDocument.diagnose(json: json, name: path, kind: usedKind, file: path, isAWSManaged: isAWSManaged)
        if let checks, !diagnostics.containsErrors {
          diagnostics = (diagnostics + checks.findings(for: try PolicyDocument(json: json, name: path, kind: usedKind), file: path)).sorted()
        }
      } catch {
        diagnostics = error.diagnostics
      }
      all += diagnostics
      let grammarErrors = diagnostics.contains { $0.severity == .error && !$0.code.rawValue.hasPrefix("catalog.") }
      if grammarErrors {
        status = status.worst(.invalidInput)
      } else if diagnostics.contains(where: { $0.severity <= failOn }) {
        status = status.worst(.failure)
      }
      if format == "sarif" {
        continue
      } else if format == "json" {
        files.append(.object([("file", .string(path)), ("type", .string(usedKind.rawValue)),
                              ("valid", .bool(!diagnostics.contains { $0.severity == .error && !$0.code.rawValue.hasPrefix("catalog.") })),
                              ("diagnostics", .array(diagnostics.map(JSONOutput.diagnostic)))]))
      } else {
        for diagnostic in diagnostics { out(diagnostic.formatted + "\n") }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let valid = !diagnostics.contains { $0.severity == .error && !$0.code.rawValue.hasPrefix("catalog.") }
        out("\(path): \(valid ? "valid" : "invalid") \(usedKind.displayName), \(errors) error\(errors == 1 ? "" : "s"), \(diagnostics.count - errors) other finding\(diagnostics.count - errors == 1 ? "" : "s")\n")
      }
    }
    if format == "json" { out(JSONOutput.object([("version", 1), ("files", .array(files))]).rendered(pretty: true) + "\n") }
    if format == "sarif" { out(SARIF.log(all).rendered(pretty: true) + "\n") }
    return status
  }

  /// A resource policy when any statement has a Principal or NotPrincipal, else an identity policy.
  static func inferredKind(_ json: JSONValue) -> PolicyKind {
    let statement = json["Statement"]
    let statements = statement?.elements ?? (statement.map { [$0] } ?? [])
    return statements.contains { $0["Principal"] != nil || $0["NotPrincipal"] != nil } ? .resource : .identity
  }

  /// A policy file, or the document of an AWS managed policy named by ARN or name (to which customer size
  /// limits do not apply).
  static func readPolicyJSON(_ reference: String) throws(InputError) -> (JSONValue, isAWSManaged: Bool) {
    if PolicyLoader.isManagedARN(reference) || !FileManager.default.fileExists(atPath: reference) {
      let library = try ManagedPolicyLibrary.loadShipped()
      if let policy = library.entry(for: reference) {
        let bytes: [UInt8]
        do {
          bytes = try library.document(policy)
        } catch {
          throw InputError("policies.unreadable", error.message)
        }
        return (try InputFile.parseJSON(bytes, file: policy.arn), true)
      }
      if PolicyLoader.isManagedARN(reference) || PolicyLoader.looksLikePolicyName(reference) {
        throw library.notFound(reference, orFile: !PolicyLoader.isManagedARN(reference))
      }
    }
    return (try InputFile.readJSON(reference), false)
  }
}
