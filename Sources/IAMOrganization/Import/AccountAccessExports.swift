/// Reads AWS account access manager outputs (`aws account-access list-applications`, `list-entitlements`,
/// `get-entitlement`) and iamsim's own `account-access.json`, which is copied through once checked.
enum AccountAccessExports {
  static func read(_ json: JSONValue, command: ExportCommand, name: ExportFileName, reader: ExportReader) throws(InputError)
    -> (key: String, payload: ExportPayload, summary: String)
  {
    let root = JSONPath.root
    try reader.object(json, "`\(command.rawValue)` output", at: root)
    switch command {
    case .getApplication:
      _ = try reader.member(json, "identitySource", at: root, required: true)
      let id = name.command == command ? name.parts.joined(separator: ".") : "unnamed"
      return ("\(command.rawValue).\(id)", .applications([]), "account access manager application \(id) (details only)")
    case .listApplications:
      var arns: [String] = []
      for (item, at) in try reader.objects(json, "applications", "an application", at: root) {
        arns.append(try applicationArn(item, "applicationArn", at: at, reader: reader))
      }
      return (command.rawValue, .applications(arns), "\(arns.count.counted("account access manager application"))")
    case .listEntitlements:
      let named = name.command == command ? name.part(0, where: AWSIdentifier.isAccount) : nil
      var grants: [GrantEntry] = []
      for (item, at) in try reader.objects(json, "entitlements", "an entitlement", at: root) {
        let id = try reader.string(item, "entitlementId", at: at)!
        let entitlement = try reader.member(item, "entitlement", at: at, required: true)!
        grants.append(try grant(entitlement, id: id, at: at.appending("entitlement"), reader: reader))
      }
      if let named, let other = grants.first(where: { $0.account != named }) {
        throw reader.error(.importNameMismatch, "the file name says account \(named), but it lists an entitlement in account \(other.account)",
                           root, json.position)
      }
      let accounts = Set(grants.map(\.account))
      let account = named ?? (accounts.count == 1 ? accounts.first : nil)
      return (account.map { "\(command.rawValue).\($0)" } ?? command.rawValue,
              .entitlements(account: account, grants: grants, applicationArn: nil),
              "\(grants.count.counted("entitlement"))" + (account.map { " in account \($0)" } ?? ""))
    case .getEntitlement:
      let arn = try applicationArn(json, "applicationArn", at: root, reader: reader)
      let id = try reader.string(json, "entitlementId", at: root)!
      let entitlement = try reader.member(json, "entitlement", at: root, required: true)!
      let grant = try grant(entitlement, id: id, at: root.appending("entitlement"), reader: reader)
      return ("\(command.rawValue).\(id)", .entitlements(account: nil, grants: [grant], applicationArn: arn),
              "entitlement \(id): role \(grant.roleName) of account \(grant.account)")
    default:
      return try iamsimFile(json, reader: reader)
    }
  }

  private static func applicationArn(_ json: JSONValue, _ key: String, at path: JSONPath, reader: ExportReader) throws(InputError) -> String {
    let arn = try reader.string(json, key, at: path)!
    guard arn.hasPrefix("arn:"), arn.contains(":account-access:"), arn.contains(":application/") else {
      throw reader.error(.importWrongType, "`\(arn)` is not an account access manager application ARN", path.appending(key), json[key]?.position)
    }
    return arn
  }

  /// An `EntitlementSummary` or `EntitlementDetails` union: `{"principalRole": {principal, roleArn, account, accountName}}`.
  private static func grant(_ json: JSONValue, id: String, at path: JSONPath, reader: ExportReader) throws(InputError) -> GrantEntry {
    try reader.object(json, "an entitlement", at: path)
    guard let principalRole = json["principalRole"] else {
      throw reader.error(.importUnsupportedCommand,
                         "this entitlement is not a `principalRole` entitlement, the only kind iamsim knows", path, json.position)
    }
    let at = path.appending("principalRole")
    try reader.object(principalRole, "`principalRole`", at: at)
    let roleArn = try reader.string(principalRole, "roleArn", at: at)!
    guard AWSIdentifier.account(ofArn: roleArn) != nil, roleArn.contains(":role/") else {
      throw reader.error(.importWrongType, "`\(roleArn)` is not an IAM role ARN", at.appending("roleArn"), principalRole["roleArn"]?.position)
    }
    let account = try reader.string(principalRole, "account", at: at, required: false) ?? AWSIdentifier.account(ofArn: roleArn)!
    guard AWSIdentifier.isAccount(account) else {
      throw reader.error(.importWrongType, "`\(account)` is not an account ID", at.appending("account"), principalRole["account"]?.position)
    }
    let principal = try reader.member(principalRole, "principal", at: at, required: true)!
    let principalAt = at.appending("principal")
    try reader.object(principal, "`principal`", at: principalAt)
    guard let center = principal["identityCenter"] else {
      throw reader.error(.importUnsupportedCommand, "this principal is not an Identity Center user or group (`identityCenter`)",
                         principalAt, principal.position)
    }
    let centerAt = principalAt.appending("identityCenter")
    try reader.object(center, "`identityCenter`", at: centerAt)
    let type: String
    let principalId: String
    if let user = try reader.string(center, "userId", at: centerAt, required: false) {
      (type, principalId) = ("USER", user)
    } else if let group = try reader.string(center, "groupId", at: centerAt, required: false) {
      (type, principalId) = ("GROUP", group)
    } else {
      throw reader.error(.importMissingMember, "`identityCenter` needs `userId` or `groupId`", centerAt, center.position)
    }
    return GrantEntry(id: id, principalType: type, principalId: principalId, account: account, roleArn: roleArn)
  }

  /// iamsim's `account-access.json`: checked member by member as the format describes it, then copied through.
  private static func iamsimFile(_ json: JSONValue, reader: ExportReader) throws(InputError)
    -> (key: String, payload: ExportPayload, summary: String)
  {
    let root = JSONPath.root
    for member in try reader.object(json, "`account-access.json`", at: root) where !["applicationArn", "grants"].contains(member.key) {
      throw reader.error(.importWrongType, "`\(member.key)` is not a member of `account-access.json` (it has `applicationArn` and `grants`)",
                         root.appending(member.key), member.keyPosition)
    }
    let arn = try json["applicationArn"] == nil ? nil : applicationArn(json, "applicationArn", at: root, reader: reader)
    var grants: [JSONOutput] = []
    for (item, at) in try reader.objects(json, "grants", "a grant", at: root) {
      for member in item.members ?? [] where !["id", "principalType", "principal", "principalId", "account", "role"].contains(member.key) {
        throw reader.error(.importWrongType, "`\(member.key)` is not a member of a grant", at.appending(member.key), member.keyPosition)
      }
      let type = try reader.string(item, "principalType", at: at)!
      guard type == "USER" || type == "GROUP" else {
        throw reader.error(.importWrongType, "`principalType` must be USER or GROUP, not `\(type)`", at.appending("principalType"),
                           item["principalType"]?.position)
      }
      let name = try reader.string(item, "principal", at: at, required: false)
      let id = try reader.string(item, "principalId", at: at, required: false)
      guard name != nil || id != nil else {
        throw reader.error(.importMissingMember, "a grant needs `principal` or `principalId`", at, item.position)
      }
      let account = try reader.string(item, "account", at: at)!
      guard AWSIdentifier.isAccount(account) else {
        throw reader.error(.importWrongType, "`\(account)` is not an account ID", at.appending("account"), item["account"]?.position)
      }
      _ = try reader.string(item, "role", at: at)
      _ = try reader.string(item, "id", at: at, required: false)
      grants.append(item.output)
    }
    return (ExportCommand.accountAccessFile.rawValue, .accountAccessFile(applicationArn: arn, grants: grants), "\(grants.count.counted("grant"))")
  }
}
