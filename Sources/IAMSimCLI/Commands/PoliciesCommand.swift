import Foundation
import IAMManagedPolicies
import IAMPolicy

/// `iamsim policies`: the AWS managed policies compiled into iamsim: list, show, where they come from, rebuild.
enum PoliciesCommand {
  static let help = """
    USAGE: iamsim policies list [PATTERN] [--format text|json]
           iamsim policies show NAME|ARN [--format text|json]
           iamsim policies info [--verify] [--format text|json]
           iamsim policies update FILE|DIR... [--source TEXT] [--output PATH]

    Every AWS managed policy's default version is compiled into iamsim; any `arn:aws:iam::aws:policy/...`
    ARN or bare policy name works wherever a policy is accepted (eval, test case files, permission sets,
    organizations, audit, diff, validate).

    list    lists the policies (name, version, update date, ARN); PATTERN keeps those whose name or ARN
            contains it, or matches it when it has `*` or `?` wildcards; case is ignored.
    show    prints one policy's ARN, version and dates, then its document.
    info    prints the source, data date, count and the SHA-256 of the data; --verify inflates every
            document and checks that hash.
    update  rebuilds the library from `aws iam get-account-authorization-details --filter AWSManagedPolicy`
            output, arrays of policy records, or folders of policy JSON files. Later sources replace earlier
            ones by policy name, so give a snapshot first and newer versions after it. Writes --output
            (default: Sources/IAMManagedPolicies/Shipped/ShippedPolicies.swift above the working directory);
            rebuild iamsim afterwards to ship it. --source names the sources in `policies info`.

    Exit status: 0 done; 2 a name or ARN that is no AWS managed policy, or a source that cannot be read;
    64 bad usage.

    """

  static func run(_ arguments: [String], out: (String) -> Void, err: (String) -> Void) throws -> ExitStatus {
    let parsed = try ParsedArguments(
      arguments, valueFlags: ["--format", "--output", "--source"], switchFlags: ["--verify"], command: "policies")
    switch parsed.positionals.first {
    case "list":
      guard parsed.positionals.count <= 2 else { throw UsageError("give at most one PATTERN", command: "policies") }
      let format = try parsed.format(["text", "json"], command: "policies")
      let library = try ManagedPolicyLibrary.loadShipped()
      let policies = parsed.positionals.count == 2 ? library.policies(matching: parsed.positionals[1]) : library.policies
      if format == "json" {
        out(JSONOutput.object([("policies", .array(policies.map(summary)))]).rendered(pretty: true) + "\n")
      } else {
        for policy in policies {
          out("\(policy.name)\t\(policy.versionId)\t\(policy.updateDate.prefix(10))\t\(policy.arn)\n")
        }
        err("\(policies.count) of \(library.info.count) AWS managed policies\n")
      }
      return .success
    case "show":
      guard parsed.positionals.count == 2 else { throw UsageError("name one policy (NAME or ARN)", command: "policies") }
      let format = try parsed.format(["text", "json"], command: "policies")
      let library = try ManagedPolicyLibrary.loadShipped()
      guard let policy = library.entry(for: parsed.positionals[1]) else { throw library.notFound(parsed.positionals[1]) }
      let bytes: [UInt8]
      do {
        bytes = try library.document(policy)
      } catch {
        throw InputError("policies.unreadable", error.message)
      }
      let document = try InputFile.parseJSON(bytes, file: policy.arn)
      if format == "json" {
        guard case .object(let members) = summary(policy) else { return .success }
        out(JSONOutput.object(members + [("document", document.output)]).rendered(pretty: true) + "\n")
      } else {
        out(
          """
          \(policy.arn)
            version:  \(policy.versionId)
            created:  \(policy.createDate)
            updated:  \(policy.updateDate)

          \(document.output.rendered(pretty: true))

          """)
      }
      return .success
    case "info":
      let format = try parsed.format(["text", "json"], command: "policies")
      let library = try ManagedPolicyLibrary.loadShipped()
      var verified: Bool?
      if parsed.has("--verify") {
        do {
          verified = try library.verify()
        } catch {
          throw InputError("policies.unreadable", error.message)
        }
      }
      if format == "json" {
        var members: [(String, JSONOutput)] = []
        if case .object(let base) = info(library.info) { members = base }
        if let verified { members.append(("verified", .bool(verified))) }
        out(JSONOutput.object(members).rendered(pretty: true) + "\n")
      } else {
        out(infoText(library.info))
        if let verified { out("  verified:     \(verified ? "yes, every document matches the hash" : "NO: the data does not match its hash")\n") }
      }
      return verified == false ? .failure : .success
    case "update":
      guard parsed.positionals.count >= 2 else { throw UsageError("name the source files or folders", command: "policies") }
      let sources = parsed.positionals.dropFirst().map { URL(fileURLWithPath: $0) }
      let sourceName = try parsed.single("--source", command: "policies")
      let build: ManagedPolicyBuild
      do {
        build = try ManagedPolicyBuilder.build(from: Array(sources), source: sourceName)
      } catch {
        throw InputError("policies.invalid-source", error.message, file: error.file)
      }
      guard let output = try parsed.single("--output", command: "policies") ?? defaultOutput() else {
        throw UsageError("no Sources/IAMManagedPolicies/Shipped above the working directory; give --output", command: "policies")
      }
      do {
        try Data(build.swiftSource.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
      } catch {
        throw InputError(.fileUnreadable, "cannot write `\(output)`: \(error)", file: output)
      }
      for note in build.skipped { err("skipped \(note)\n") }
      let compressed = build.blocks.reduce(0) { $0 + $1.count }
      out("wrote \(output): \(build.library.info.count) policies, \(build.blocks.count) blocks, \(compressed) bytes compressed\n")
      out(infoText(build.library.info))
      return .success
    default:
      throw UsageError("use `iamsim policies list`, `show`, `info` or `update`", command: "policies")
    }
  }

  static func summary(_ policy: ManagedPolicy) -> JSONOutput {
    .object([
      ("name", .string(policy.name)), ("arn", .string(policy.arn)), ("path", .string(policy.path)),
      ("versionId", .string(policy.versionId)), ("createDate", .string(policy.createDate)),
      ("updateDate", .string(policy.updateDate)),
    ])
  }

  /// The library's provenance, as JSON reports print it next to the catalog's.
  static func info(_ info: ManagedPolicyLibrary.Info) -> JSONOutput {
    .object([
      ("source", .string(info.source)), ("dataDate", .string(info.dataDate)), ("policies", .int(info.count)),
      ("sha256", .string(info.sha256)),
    ])
  }

  /// The shipped library's provenance, or `null` when it cannot be read.
  static func shippedInfo() -> JSONOutput {
    (try? ManagedPolicyLibrary.shipped()).map { info($0.info) } ?? .null
  }

  static func infoText(_ info: ManagedPolicyLibrary.Info) -> String {
    """
    AWS managed policies, default versions, as shipped with iamsim
      source:       \(info.source)
      data date:    \(info.dataDate)
      policies:     \(info.count)
      sha256:       \(info.sha256)

    """
  }

  private static func defaultOutput() -> String? {
    InputFile.foldersAbove([FileManager.default.currentDirectoryPath]).map { $0 + "/Sources/IAMManagedPolicies/Shipped" }
      .first { FileManager.default.fileExists(atPath: $0) }.map { $0 + "/ShippedPolicies.swift" }
  }
}
