import Foundation
import IAMOrganization
import IAMPolicy

/// `iamsim import`: builds or adds to an organization directory from AWS CLI exports.
enum ImportCommand {
  static let help = """
    USAGE: iamsim import FILE|DIR... --out DIR [--format text|json]

    Builds the organization directory DIR (Documentation/OrganizationFormat.md) from the JSON the AWS CLI
    prints (--output json), or adds to it when it exists: its files stay unless an input describes the same
    thing. Each file is recognised by its shape; a DIR is read for every *.json file under it. The directory
    is written beside DIR and renamed into place, and keeps the exports read in DIR/exports/.

    Reads (Documentation/ImportRecipe.md exports them all, named as below):
      aws iam get-account-authorization-details    get-account-authorization-details.ACCOUNT.json (pages: merged)
      aws sso-admin list-instances, list-permission-sets, describe-permission-set,
        describe-instance-access-control-attribute-configuration, and, named COMMAND.PS-ID.json:
        list-managed-policies-in-permission-set, list-customer-managed-policy-references-in-permission-set,
        get-inline-policy-for-permission-set, get-permissions-boundary-for-permission-set,
        list-accounts-for-provisioned-permission-set;
        list-account-assignments (ACCOUNT.PS-ID when empty), list-account-assignments-for-principal
      aws identitystore list-users, list-groups, list-group-memberships (GROUP-ID when empty)
      aws organizations describe-organization, list-roots, list-accounts, describe-policy, and
        list-organizational-units-for-parent.PARENT-ID, list-accounts-for-parent.PARENT-ID,
        list-policies.FILTER, list-targets-for-policy.POLICY-ID, list-policies-for-target.TARGET-ID.FILTER,
        list-delegated-administrators.SERVICE-PRINCIPAL
      aws account-access list-applications, list-entitlements.ACCOUNT, get-entitlement; or iamsim's own
        account-access.json

    Then prints what each file was recognised as, what was written, and what is still missing for a complete
    organization, as the AWS CLI commands that export it (missing parts are warnings).

    Errors (exit 2, nothing written): import.unknown-shape, import.needs-name (the file name must say what the
      output is about: the message gives the name), import.name-mismatch, import.wrong-type,
      import.missing-member, import.conflict, import.unsupported-command, import.output, json.*, policy.*.
    Warnings: import.unresolved, import.truncated, import.guess.

    Exit status: 0 written (missing parts or not); 2 invalid input, or the directory cannot be written; 64 bad usage.

    """

  static func run(_ arguments: [String], out: (String) -> Void, err: (String) -> Void) throws -> ExitStatus {
    let parsed = try ParsedArguments(arguments, valueFlags: ["--out", "--format"], switchFlags: [], command: "import")
    let format = try parsed.format(["text", "json"], command: "import")
    guard !parsed.positionals.isEmpty else { throw UsageError("name at least one export file or folder", command: "import") }
    guard let target = try parsed.single("--out", command: "import") else {
      throw UsageError("--out DIR is required: the organization directory to write or add to", command: "import")
    }
    var importer = OrganizationImport()
    var errors: [Diagnostic] = []
    for file in try inputFiles(parsed.positionals, excluding: target) {
      do throws(InputError) {
        try importer.add(file: file, bytes: InputFile.read(file))
      } catch {
        errors += error.diagnostics
      }
    }
    guard errors.isEmpty else { throw InputError(errors) }
    try importer.addExisting(directory: target)
    let result = try importer.write(to: target)
    if format == "json" {
      out(json(importer.inputs, result).rendered(pretty: true) + "\n")
    } else {
      out(text(importer.inputs, result))
    }
    return .success
  }

  /// The files named, and the `*.json` files under the folders named (hidden ones and the output directory skipped).
  static func inputFiles(_ paths: [String], excluding target: String) throws(UsageError) -> [String] {
    let excluded = URL(fileURLWithPath: target).standardizedFileURL.path
    var files: [String] = []
    var seen: Set<String> = []
    for path in paths {
      // A path that does not exist is read as a file, which reports it (exit 2, as every command does).
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      var found = [path]
      if isDirectory.boolValue {
        let root = URL(fileURLWithPath: path).standardizedFileURL.path
        if root == excluded {
          throw UsageError("`\(path)` is the output directory; name the exports to add to it", command: "import")
        }
        found = []
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let relative = enumerator?.nextObject() as? String {
          let full = (path.hasSuffix("/") ? path : path + "/") + relative
          let last = relative.split(separator: "/").last.map(String.init) ?? relative
          if last.hasPrefix(".") || URL(fileURLWithPath: full).standardizedFileURL.path == excluded {
            enumerator?.skipDescendants()
            continue
          }
          if last.lowercased().hasSuffix(".json"), enumerator?.fileAttributes?[.type] as? FileAttributeType != .typeDirectory {
            found.append(full)
          }
        }
        found.sort()
      }
      for file in found where seen.insert(URL(fileURLWithPath: file).standardizedFileURL.path).inserted { files.append(file) }
    }
    return files
  }

  static func text(_ inputs: [ImportedFile], _ result: ImportResult) -> String {
    var lines: [String] = []
    let stored = inputs.filter(\.isStored).count
    lines.append("read \(inputs.count - stored) files" + (stored > 0 ? " (and \(stored) exports kept in \(result.directory)/exports)" : "") + ":")
    for input in inputs where !input.isStored {
      lines.append("  \(input.file): \(input.command): \(input.summary)")
    }
    let exports = result.written.filter { $0.hasPrefix("exports/") }.count
    lines.append("wrote \(result.directory):")
    for file in result.written where !file.hasPrefix("exports/") { lines.append("  \(file)") }
    lines.append("  exports/ (\(exports) export\(exports == 1 ? "" : "s"), read again when adding to this directory)")
    if !result.kept.isEmpty {
      lines.append("kept from the directory added to: \(result.kept.filter { !$0.hasPrefix("exports/") }.joined(separator: ", "))")
    }
    if !result.removed.isEmpty { lines.append("removed (replaced): \(result.removed.joined(separator: ", "))") }
    for warning in result.warnings { lines.append(warning.formatted) }
    if result.missing.isEmpty {
      lines.append("nothing is missing: the organization is complete")
    } else {
      lines.append("missing for a complete organization (\(result.missing.count)):")
      for part in result.missing { lines.append("  - \(part.what): run `\(part.command)`") }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func json(_ inputs: [ImportedFile], _ result: ImportResult) -> JSONOutput {
    .object([
      ("version", 1), ("directory", .string(result.directory)),
      ("read", .array(inputs.map { input in
        .object([("file", .string(input.file)), ("command", .string(input.command)), ("summary", .string(input.summary)),
                 ("stored", .bool(input.isStored))])
      })),
      ("written", .array(result.written.map(JSONOutput.string))), ("kept", .array(result.kept.map(JSONOutput.string))),
      ("removed", .array(result.removed.map(JSONOutput.string))),
      ("warnings", .array(result.warnings.map(JSONOutput.diagnostic))),
      ("complete", .bool(result.missing.isEmpty)),
      ("missing", .array(result.missing.map { part in
        .object([("what", .string(part.what)), ("command", .string(part.command)), ("file", .string(part.file))])
      })),
    ])
  }
}
