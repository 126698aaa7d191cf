import Foundation
import IAMOrganization

/// `iamsim org check`: loads an organization directory and lists every problem, as the other commands see them.
enum OrganizationCommand {
  static let help = """
    USAGE: iamsim org check DIR [--format text|json|sarif]

    Loads an organization directory (Documentation/OrganizationFormat.md) as every command that takes --org
    does, and lists what is wrong with it: errors (the organization cannot be used: exit 2) and warnings
    (probably a mistake; commands print them on standard error and answer all the same). Each names the
    file, the JSON path and line:column.

    Errors: organization.unknown-member, organization.missing-member, organization.format-version,
      organization.duplicate, organization.unknown-reference, organization.invalid-identifier,
      organization.not-this-format, organization.mismatch, preflight.provisioning-fails (a customer managed
      policy or boundary missing in an account the permission set is assigned to), json.*, policy.*,
      permission-set.*, identity-store.*.
    Warnings: preflight.empty-group, preflight.unassigned-permission-set, preflight.management-account-assignment,
      preflight.username-not-email, preflight.guest-user, preflight.nested-group,
      preflight.unusable-account-access-grant, organization.tolerated-member.

    Exit status: 0 the organization loads (warnings or not); 2 it does not; 64 bad usage.

    """

  static func run(_ arguments: [String], out: (String) -> Void, err: (String) -> Void) throws -> ExitStatus {
    guard arguments.first == "check" else { throw UsageError("the only subcommand is `check`", command: "org") }
    let parsed = try ParsedArguments(Array(arguments.dropFirst()), valueFlags: ["--format"], switchFlags: [], command: "org")
    let format = try parsed.format(["text", "json", "sarif"], command: "org")
    guard parsed.positionals.count == 1, let directory = parsed.positionals.first else {
      throw UsageError("name one organization directory", command: "org")
    }
    let diagnostics: [Diagnostic]
    var summary: (accounts: Int, permissionSets: Int, assignments: Int, users: Int, groups: Int, roles: Int)?
    do {
      let organization = try OrganizationDirectory.load(directory)
      diagnostics = organization.findings
      summary = (organization.accounts.count, organization.permissionSets.count, organization.assignments.count,
                 organization.identityStore.users.count, organization.identityStore.groups.count,
                 organization.accounts.reduce(0) { $0 + ($1.iam?.roles.count ?? 0) })
    } catch {
      diagnostics = error.diagnostics
    }
    switch format {
    case "sarif":
      out(SARIF.log(diagnostics).rendered(pretty: true) + "\n")
    case "json":
      out(JSONOutput.object([
        ("version", 1), ("directory", .string(directory)), ("loads", .bool(summary != nil)),
        ("diagnostics", .array(diagnostics.map(JSONOutput.diagnostic))),
      ]).rendered(pretty: true) + "\n")
    default:
      for diagnostic in diagnostics { out(diagnostic.formatted + "\n") }
      if let summary {
        out("\(directory): loads: \(summary.accounts) accounts, \(summary.permissionSets) permission sets, \(summary.assignments) assignments, \(summary.users) users, \(summary.groups) groups, \(summary.roles) IAM roles; \(diagnostics.count) warnings\n")
      } else {
        out("\(directory): does not load: \(diagnostics.filter { $0.severity == .error }.count) errors\n")
      }
    }
    return summary == nil ? .invalidInput : .success
  }

  /// Loads an organization for a command that answers on it; its warnings go to standard error.
  static func load(_ directory: String, err: (String) -> Void) throws(InputError) -> Organization {
    var progress = Progress(environment: ProcessInfo.processInfo.environment)
    progress.show("reading \(directory)")
    defer { progress.done() }
    let organization = try OrganizationDirectory.load(directory)
    for finding in organization.findings { err(finding.formatted + "\n") }
    return organization
  }
}
