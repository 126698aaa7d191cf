import IAMPolicy

extension SAMLReport {
  /// The report as indented text lines: verdict, session, context keys, then findings.
  public var text: String {
    var lines = [
      "destination: \(destinationText)" + (document.recipient.map { " (\($0))" } ?? ""),
      "would sign in: \(verdictText)",
    ]
    if let role = session.role { lines.append("role: \(role.roleArn) via \(role.providerArn)") }
    if let name = session.roleSessionName { lines.append("role session name: \(name)") }
    if let duration = session.sessionDuration { lines.append("session duration: \(duration) s") }
    if let identity = session.sourceIdentity { lines.append("source identity: \(identity)") }
    let transitive = Set(session.transitiveTagKeys.map { $0.lowercased() })
    lines += section(
      "session tags",
      session.tags.map { "\($0.key) = \($0.value)" + (transitive.contains($0.key.lowercased()) ? " (transitive)" : "") }
    )
    lines += section("session context", session.sessionContext.map(\.text))
    lines += section("trust-policy context", session.trustPolicyContext.map(\.text))
    lines += section("findings", findings.map(\.text))
    return lines.joined(separator: "\n")
  }

  /// The destination as people read it: `iam`, `identityCenter`, or why it is not AWS.
  var destinationText: String {
    switch destination {
    case .iam, .identityCenter: destination.rawValue
    case .other: "not addressed to aws"
    case .missing: "not addressed to aws (no Recipient or Destination)"
    }
  }

  /// The verdict with its reason, in one line.
  var verdictText: String {
    let errors = findings.filter { $0.severity == .error }.count
    let warnings = findings.filter { $0.severity == .warning }.count
    switch verdict {
    case .no:
      if destination == .other || destination == .missing { return "no (not addressed to aws)" }
      return "no (\(errors) error\(errors == 1 ? "" : "s") below)"
    case .undetermined:
      return
        "cannot tell (\(warnings) warning\(warnings == 1 ? "" : "s") below: aws documents nothing on \(warnings == 1 ? "it" : "them"), so iamsim does not say yes)"
    case .yes:
      let expired = findings.contains { $0.code == .expired || $0.code == .notYetValid }
      return expired ? "yes, while it was valid (it is not now: see the notes)" : "yes"
    }
  }

  /// The report as JSON, for `--format json`.
  public var jsonOutput: JSONOutput {
    var documentMembers: [(String, JSONOutput)] = [
      ("form", .string(document.form.rawValue)), ("base64Length", .int(document.base64Length)),
      ("isResponse", .bool(document.isResponse)), ("issuer", .optional(document.issuer)),
      ("recipient", .optional(document.recipient)), ("audiences", .array(document.audiences.map(JSONOutput.string))),
      ("hasSignature", .bool(document.hasSignature)),
    ]
    if let nameID = document.nameID {
      documentMembers.append(
        ("nameID", .object([("value", .string(nameID.value)), ("format", .optional(nameID.format))])))
    }
    documentMembers.append(
      (
        "attributes",
        .array(
          document.attributes.map { attribute in
            .object([
              ("name", .string(attribute.name)), ("nameFormat", .optional(attribute.nameFormat)),
              ("values", .array(attribute.values.map(JSONOutput.string))), ("line", .int(attribute.position.line)),
            ])
          })
      ))
    var sessionMembers: [(String, JSONOutput)] = [
      (
        "offeredRoles",
        .array(
          session.offeredRoles.map {
            .object([("roleArn", .string($0.roleArn)), ("providerArn", .string($0.providerArn))])
          })
      ),
      ("roleArn", .optional(session.role?.roleArn)), ("roleSessionName", .optional(session.roleSessionName)),
    ]
    sessionMembers.append(("sessionDuration", session.sessionDuration.map(JSONOutput.int) ?? .null))
    sessionMembers += [
      ("sourceIdentity", .optional(session.sourceIdentity)), ("tags", .array(session.tags.map(\.jsonOutput))),
      ("transitiveTagKeys", .array(session.transitiveTagKeys.map(JSONOutput.string))),
      ("sessionContext", .array(session.sessionContext.map(\.jsonOutput))),
      ("trustPolicyContext", .array(session.trustPolicyContext.map(\.jsonOutput))),
    ]
    return .object([
      ("destination", .string(destination.rawValue)), ("wouldSignIn", .bool(wouldSignIn)),
      ("verdict", .string(verdict.rawValue)),
      ("document", .object(documentMembers)), ("session", .object(sessionMembers)),
      ("findings", .array(findings.map(\.jsonOutput))),
    ])
  }
}

/// A titled block of indented lines, or nothing when there are none.
func section(_ title: String, _ lines: [String]) -> [String] {
  lines.isEmpty ? [] : ["\(title):"] + lines.map { "  " + $0 }
}
