/// Reads `aws iam get-account-authorization-details` output: checks it parses as that shape (types, required
/// members, every policy document valid for its role, every ARN of one account) and finds the account.
enum IAMExports {
  static let topMembers: Set<String> = ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies", "IsTruncated", "Marker", "NextToken"]

  static func read(_ json: JSONValue, name: ExportFileName, reader: ExportReader) throws(InputError)
    -> (key: String, payload: ExportPayload, summary: String)
  {
    let root = JSONPath.root
    try reader.object(json, "`get-account-authorization-details` output", at: root)
    var accounts: [String: (JSONPath, SourcePosition?)] = [:]
    func arn(_ item: JSONValue, _ key: String, _ at: JSONPath) throws(InputError) {
      guard let text = try reader.string(item, key, at: at) else { return }
      guard let account = AWSIdentifier.account(ofArn: text) else {
        throw reader.error(.importWrongType, "`\(text)` is not an ARN", at.appending(key), item[key]?.position)
      }
      if account != "aws", accounts[account] == nil { accounts[account] = (at.appending(key), item[key]?.position) }
    }
    func inline(_ item: JSONValue, _ key: String, owner: String, _ at: JSONPath) throws(InputError) {
      for (policy, path) in try reader.objects(item, key, "an inline policy", at: at, required: false) {
        let policyName = try reader.string(policy, "PolicyName", at: path) ?? ""
        guard let document = try reader.member(policy, "PolicyDocument", at: path, required: true) else { continue }
        _ = try reader.policyDocument(document, name: "\(owner) inline \(policyName)", kind: .identity, at: path.appending("PolicyDocument"))
      }
    }
    func attached(_ item: JSONValue, _ at: JSONPath) throws(InputError) {
      for (policy, path) in try reader.objects(item, "AttachedManagedPolicies", "an attached policy", at: at, required: false) {
        try arn(policy, "PolicyArn", path)
      }
      if let boundary = item["PermissionsBoundary"] {
        let path = at.appending("PermissionsBoundary")
        try reader.object(boundary, "a permissions boundary", at: path)
        try arn(boundary, "PermissionsBoundaryArn", path)
      }
      for (tag, path) in try reader.objects(item, "Tags", "a tag", at: at, required: false) {
        _ = try reader.string(tag, "Key", at: path)
        _ = try reader.string(tag, "Value", at: path)
      }
    }
    let users = try reader.objects(json, "UserDetailList", "a user", at: root, required: false)
    for (user, at) in users {
      let userName = try reader.string(user, "UserName", at: at) ?? ""
      try arn(user, "Arn", at)
      _ = try reader.strings(user, "GroupList", at: at, required: false)
      try inline(user, "UserPolicyList", owner: "user \(userName)", at)
      try attached(user, at)
    }
    let groups = try reader.objects(json, "GroupDetailList", "a group", at: root, required: false)
    for (group, at) in groups {
      let groupName = try reader.string(group, "GroupName", at: at) ?? ""
      try arn(group, "Arn", at)
      try inline(group, "GroupPolicyList", owner: "group \(groupName)", at)
      try attached(group, at)
    }
    let roles = try reader.objects(json, "RoleDetailList", "a role", at: root, required: false)
    for (role, at) in roles {
      let roleName = try reader.string(role, "RoleName", at: at) ?? ""
      _ = try reader.string(role, "Path", at: at, required: false)
      try arn(role, "Arn", at)
      guard let trust = try reader.member(role, "AssumeRolePolicyDocument", at: at, required: true) else { continue }
      _ = try reader.policyDocument(trust, name: "\(roleName) trust policy", kind: .resource, at: at.appending("AssumeRolePolicyDocument"))
      try inline(role, "RolePolicyList", owner: "role \(roleName)", at)
      try attached(role, at)
    }
    let policies = try reader.objects(json, "Policies", "a managed policy", at: root, required: false)
    for (policy, at) in policies {
      let policyName = try reader.string(policy, "PolicyName", at: at) ?? ""
      try arn(policy, "Arn", at)
      let isAWSManaged = (try reader.string(policy, "Arn", at: at) ?? "").hasPrefix("arn:aws:iam::aws:")
      let versions = try reader.objects(policy, "PolicyVersionList", "a policy version", at: at)
      guard let index = versions.firstIndex(where: { $0.0["IsDefaultVersion"]?.kind == .bool(true) }) else {
        throw reader.error(.importMissingMember, "the policy `\(policyName)` has no version with `\"IsDefaultVersion\": true`",
                           at.appending("PolicyVersionList"), policy.position)
      }
      let (version, path) = versions[index]
      guard let document = try reader.member(version, "Document", at: path, required: true) else { continue }
      if !isAWSManaged {
        _ = try reader.policyDocument(document, name: policyName, kind: .identity, at: path.appending("Document"))
      }
    }
    let truncated = try reader.bool(json, "IsTruncated", at: root) == true || json["NextToken"] != nil
    let account = try self.account(json, name: name, reader: reader, accounts: accounts)
    let page = AuthorizationPage(account: account, users: users.map(\.0), groups: groups.map(\.0), roles: roles.map(\.0),
                                 policies: policies.map(\.0), isTruncated: truncated)
    let summary = "account \(account): \(users.count.counted("user")), \(groups.count.counted("group")), \(roles.count.counted("role")), \(policies.count.counted("managed policy"))"
      + (truncated ? " (one page; more follow)" : "")
    return (ExportCommand.getAccountAuthorizationDetails.rawValue + "." + account, .authorizationDetails(page), summary)
  }

  /// The account: from the file name (`get-account-authorization-details.ACCOUNT.json`), else from the ARNs; every
  /// ARN must be of that account.
  private static func account(_ json: JSONValue, name: ExportFileName, reader: ExportReader,
                              accounts: [String: (JSONPath, SourcePosition?)]) throws(InputError) -> String {
    let named = name.command == .getAccountAuthorizationDetails ? name.part(0, where: AWSIdentifier.isAccount) : nil
    let sorted = accounts.sorted { ($0.value.1 ?? SourcePosition(line: 0, column: 0)) < ($1.value.1 ?? SourcePosition(line: 0, column: 0)) }
    if let named {
      if let other = sorted.first(where: { $0.key != named }) {
        throw reader.error(.importNameMismatch, "this ARN is of account \(other.key), but the file name says account \(named)",
                           other.value.0, other.value.1)
      }
      return named
    }
    guard let first = sorted.first else {
      throw Recognition.needsName(reader, json, what: "which account it describes (it has no ARN)",
                                  name: "get-account-authorization-details.ACCOUNT-ID.json", explain: "ACCOUNT-ID being the 12-digit account ID")
    }
    if let other = sorted.dropFirst().first {
      throw reader.error(.importConflict, "this ARN is of account \(other.key), but an earlier one is of account \(first.key): one file per account",
                         other.value.0, other.value.1)
    }
    return first.key
  }
}
