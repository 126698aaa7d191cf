import IAMPolicy

extension SCIMPayloadResult {
  /// The verdict as a headline (`file:line:column $path kind subject: provisions|fails`) and one line per finding.
  public var text: String {
    let headline =
      "\(file):\(position) \(jsonPath) \(kind.rawValue)" + (subject.map { " \($0)" } ?? "")
      + ": " + (wouldProvision ? "would provision" : "would not provision")
    return ([headline] + findings.map { "  " + $0.text }).joined(separator: "\n")
  }

  /// The verdict as JSON.
  public var jsonOutput: JSONOutput {
    .object([
      ("file", .string(file)), ("jsonPath", .string(jsonPath.description)), ("line", .int(position.line)),
      ("column", .int(position.column)), ("kind", .string(kind.rawValue)), ("subject", .optional(subject)),
      ("wouldProvision", .bool(wouldProvision)), ("findings", .array(findings.map(\.jsonOutput))),
    ])
  }
}

extension SCIMReport {
  /// Every payload's verdict, then a closing count line.
  public var text: String {
    let failing = payloads.filter { !$0.wouldProvision }.count
    return (payloads.map(\.text) + ["\(payloads.count - failing) would provision, \(failing) would not"]).joined(
      separator: "\n")
  }

  /// The report as JSON, for `--format json`.
  public var jsonOutput: JSONOutput {
    .object([
      ("wouldProvisionAll", .bool(wouldProvisionAll)), ("payloads", .array(payloads.map(\.jsonOutput))),
      ("users", .int(store.users.count)), ("groups", .int(store.groups.count)),
    ])
  }
}

extension ABACResolution {
  /// The tags and findings as text.
  public var text: String {
    (section("session tags", tags.map { "\($0.key) = \($0.value)" }) + section("findings", findings.map(\.text)))
      .joined(separator: "\n")
  }

  /// The tags and findings as JSON.
  public var jsonOutput: JSONOutput {
    .object([
      ("wouldSignIn", .bool(wouldSignIn)), ("tags", .array(tags.map(\.jsonOutput))),
      ("findings", .array(findings.map(\.jsonOutput))),
    ])
  }
}
