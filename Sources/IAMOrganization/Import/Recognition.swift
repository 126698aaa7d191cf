/// Recognises an export by its shape (its top-level members) and, where shapes are alike, by its file name.
enum Recognition {
  /// Reads one file into a record.
  static func record(file: String, bytes: [UInt8]) throws(InputError) -> ExportRecord {
    let json = try InputFile.parseJSON(bytes, file: file)
    let name = ExportFileName(path: file)
    if let unsupported = name.unsupported {
      throw InputError(.importUnsupportedCommand,
                       "`\(unsupported)` output is not read by `iamsim import`; export `\(ExportCommand.unsupported[unsupported]!)` instead",
                       file: file, position: json.position)
    }
    guard let members = json.members else {
      throw InputError(.importUnknownShape, "this \(json.typeName) is not the JSON output of an AWS CLI command `iamsim import` reads\(listing)",
                       file: file, position: json.position)
    }
    let keys = Set(members.map(\.key))
    var command = shape(of: json, keys: keys)
    if let named = name.command {
      if let found = command, !found.shapeFamily.contains(named) {
        throw InputError(.importNameMismatch,
                         "the file is named as `\(named.display)` output but holds `\(found.display)` output; name it `\(found.rawValue)…json`",
                         file: file, position: json.position)
      }
      if command == nil, !(members.isEmpty && [.getPermissionsBoundary, .getInlinePolicy, .describeAccessControlAttributes].contains(named)) {
        throw InputError(.importUnknownShape,
                         "the file is named as `\(named.display)` output, but has none of its members (\(expected(named)))\(found(keys))",
                         file: file, position: json.position)
      }
      command = named
    }
    guard let command else {
      if keys.contains("formatVersion") || keys.contains("root") {
        throw InputError(.importUnknownShape,
                         "this is an organization directory's `organization.json`, not an AWS CLI export: give its directory as `--out` to add to it",
                         file: file, position: json.position)
      }
      throw InputError(.importUnknownShape,
                       "this object is not the output of an AWS CLI command `iamsim import` reads\(found(keys))\(listing)",
                       file: file, position: json.position)
    }
    let reader = ExportReader(file: file, command: command)
    let (key, payload, summary) = try read(json, command: command, name: name, reader: reader)
    // Where shapes are alike and the name does not tell, the content does (the key starts with the command).
    let keyed = ExportCommand(rawValue: String(key.prefix { $0 != "." })).flatMap { command.shapeFamily.contains($0) ? $0 : nil }
    return ExportRecord(file: file, command: keyed ?? command, key: key, payload: payload, summary: summary, bytes: bytes, json: json)
  }

  /// The command whose output has these top-level members (the first of a family of alike shapes).
  static func shape(of json: JSONValue, keys: Set<String>) -> ExportCommand? {
    if !keys.isDisjoint(with: ["UserDetailList", "GroupDetailList", "RoleDetailList"]) { return .getAccountAuthorizationDetails }
    if keys.contains("Policies") {
      let elements = json["Policies"]?.elements ?? []
      if keys.contains("IsTruncated") || keys.contains("Marker") || elements.contains(where: { $0["PolicyVersionList"] != nil }) {
        return .getAccountAuthorizationDetails
      }
      return .listPolicies
    }
    let table: [(String, ExportCommand)] = [
      ("Instances", .listInstances), ("PermissionSets", .listPermissionSets), ("PermissionSet", .describePermissionSet),
      ("AttachedManagedPolicies", .listManagedPolicies), ("CustomerManagedPolicyReferences", .listCustomerManagedReferences),
      ("InlinePolicy", .getInlinePolicy), ("PermissionsBoundary", .getPermissionsBoundary),
      ("AccountAssignments", .listAccountAssignments), ("AccountIds", .listAccountsForProvisionedPermissionSet),
      ("InstanceAccessControlAttributeConfiguration", .describeAccessControlAttributes),
      ("Users", .listUsers), ("Groups", .listGroups), ("GroupMemberships", .listGroupMemberships),
      ("Organization", .describeOrganization), ("Roots", .listRoots), ("OrganizationalUnits", .listOrganizationalUnitsForParent),
      ("Accounts", .listAccounts), ("Policy", .describePolicy), ("Targets", .listTargetsForPolicy),
      ("DelegatedAdministrators", .listDelegatedAdministrators), ("applications", .listApplications),
      ("identitySource", .getApplication), ("entitlements", .listEntitlements), ("entitlementId", .getEntitlement), ("grants", .accountAccessFile),
    ]
    return table.first { keys.contains($0.0) }?.1
  }

  private static func expected(_ command: ExportCommand) -> String {
    let table: [ExportCommand: String] = [
      .getAccountAuthorizationDetails: "`UserDetailList`, `GroupDetailList`, `RoleDetailList`, `Policies`",
      .listPolicies: "`Policies`", .listPoliciesForTarget: "`Policies`",
    ]
    if let text = table[command] { return text }
    let keys = ["Instances": ExportCommand.listInstances, "PermissionSets": .listPermissionSets, "PermissionSet": .describePermissionSet,
                "AttachedManagedPolicies": .listManagedPolicies, "CustomerManagedPolicyReferences": .listCustomerManagedReferences,
                "InlinePolicy": .getInlinePolicy, "PermissionsBoundary": .getPermissionsBoundary,
                "AccountAssignments": .listAccountAssignments, "AccountIds": .listAccountsForProvisionedPermissionSet,
                "InstanceAccessControlAttributeConfiguration": .describeAccessControlAttributes, "Users": .listUsers,
                "Groups": .listGroups, "GroupMemberships": .listGroupMemberships, "Organization": .describeOrganization,
                "Roots": .listRoots, "OrganizationalUnits": .listOrganizationalUnitsForParent, "Accounts": .listAccounts,
                "Policy": .describePolicy, "Targets": .listTargetsForPolicy, "DelegatedAdministrators": .listDelegatedAdministrators,
                "applications": .listApplications, "identitySource": .getApplication, "entitlements": .listEntitlements, "entitlementId": .getEntitlement,
                "grants": .accountAccessFile]
    let names = keys.filter { command.shapeFamily.contains($0.value) }.map { "`\($0.key)`" }.sorted()
    return names.joined(separator: ", ")
  }

  private static func found(_ keys: Set<String>) -> String {
    keys.isEmpty ? " (it is empty)" : " (its members: \(keys.sorted().prefix(6).map { "`\($0)`" }.joined(separator: ", ")))"
  }

  private static let listing =
    "; `iamsim import` reads `aws iam get-account-authorization-details`, the `aws sso-admin`, `aws identitystore`, `aws organizations` and `aws account-access` list and describe outputs listed by `iamsim import --help`"

  private static func read(_ json: JSONValue, command: ExportCommand, name: ExportFileName, reader: ExportReader) throws(InputError)
    -> (key: String, payload: ExportPayload, summary: String)
  {
    switch command.service {
    case "iam": return try IAMExports.read(json, name: name, reader: reader)
    case "sso-admin": return try IdentityCenterExports.read(json, command: command, name: name, reader: reader)
    case "identitystore": return try IdentityStoreExports.read(json, command: command, name: name, reader: reader)
    case "organizations": return try OrganizationsExports.read(json, command: command, name: name, reader: reader)
    default: return try AccountAccessExports.read(json, command: command, name: name, reader: reader)
    }
  }

  /// The error for an output that does not say what it was asked about, in a file whose name does not either.
  static func needsName(_ reader: ExportReader, _ json: JSONValue, what: String, name: String, explain: String) -> InputError {
    reader.error(.importNeedsName,
                 "`\(reader.command.display)` output does not say \(what), and the file name does not either: name the file `\(name)`, \(explain)",
                 .root, json.position)
  }
}
