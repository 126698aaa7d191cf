/// Permission sets, assignments, the identity store and account access manager grants.
extension ImportPlan {
  mutating func permissionSets(_ model: ImportModel, existing: ExistingDirectory?) {
    for (id, set) in model.described.sorted(by: { $0.key < $1.key }) {
      var members = set.members
      if let arns = model.managedPolicies[id], !arns.isEmpty { members.append(("AwsManagedPolicies", .array(arns.map(JSONOutput.string)))) }
      if let references = model.customerReferences[id], !references.isEmpty {
        members.append(("CustomerManagedPolicyReferences", .array(references)))
      }
      if let inline = model.inlinePolicies[id] ?? nil { members.append(("InlinePolicy", inline)) }
      if let boundary = model.boundaries[id] ?? nil { members.append(("PermissionsBoundary", boundary)) }
      let path = "permission-sets/\(Self.safeName(set.name)).json"
      let bytes = Self.render(.object(members))
      do throws(InputError) {
        _ = try PermissionSet.read(InputFile.parseJSON(bytes, file: path), source: path)
      } catch {
        errors += error.diagnostics.filter { $0.severity == .error }
      }
      files[path] = bytes
      for other in existing?.permissionSets ?? [] where other.file != path {
        if other.name?.lowercased() == set.name.lowercased() || other.arn == set.arn { removed.insert(other.file) }
      }
    }
  }

  mutating func assignments(_ model: ImportModel, existing: ExistingDirectory?) {
    guard !model.assignments.isEmpty || !model.pairCoverage.isEmpty || !model.principalCoverage.isEmpty else { return }
    var rows: [(sort: [String], identity: String, json: JSONOutput)] = []
    var unresolved: Set<String> = []
    for entry in model.assignments {
      let id = AWSIdentifier.permissionSetID(ofArn: entry.permissionSetArn)!
      let setName = model.described[id]?.name
      let principal = model.principalName(entry.principalType, entry.principalId)
      if principal == nil, model.users != nil || model.groups != nil { unresolved.insert("\(entry.principalType.lowercased()) \(entry.principalId)") }
      var members: [(String, JSONOutput)] = [("principalType", .string(entry.principalType)), ("principalId", .string(entry.principalId))]
      if let principal { members.append(("principal", .string(principal))) }
      if let setName { members.append(("permissionSet", .string(setName))) }
      members += [("permissionSetArn", .string(entry.permissionSetArn)), ("account", .string(entry.account))]
      rows.append(([entry.account, setName ?? id, entry.principalType, principal ?? entry.principalId],
                   "\(entry.account)|\(id)|\(entry.principalId)", .object(members)))
    }
    if !unresolved.isEmpty {
      warnings.append(Diagnostic(.importUnresolved, .warning,
                                 "the identity store outputs have no \(unresolved.sorted().joined(separator: ", ")), which assignments name"))
    }
    // Hand-written assignments of the directory added to stay, unless an export covers their account and permission set.
    let names = Dictionary(model.described.values.map { ($0.name.lowercased(), $0.id) }, uniquingKeysWith: { first, _ in first })
    var identities = Set(rows.map(\.identity))
    for entry in existing?.assignments ?? [] {
      guard let account = entry["account"]?.stringValue else { continue }
      let id = entry["permissionSetArn"]?.stringValue.flatMap(AWSIdentifier.permissionSetID(ofArn:))
        ?? entry["permissionSet"]?.stringValue.flatMap { names[$0.lowercased()] }
      let principalId = entry["principalId"]?.stringValue
      if let id, model.pairCoverage.contains("\(account).\(id)") { continue }
      if let principalId, model.principalCoverage.contains(principalId) { continue }
      let identity = "\(account)|\(id ?? entry["permissionSet"]?.stringValue ?? "")|\(principalId ?? entry["principal"]?.stringValue ?? "")"
      guard identities.insert(identity).inserted else { continue }
      rows.append(([account, entry["permissionSet"]?.stringValue ?? id ?? "", entry["principalType"]?.stringValue ?? "",
                    entry["principal"]?.stringValue ?? principalId ?? ""], identity, entry.output))
    }
    rows.sort { $0.sort.lexicographicallyPrecedes($1.sort) }
    files["assignments.json"] = Self.render(.array(rows.map(\.json)))
  }

  // MARK: - Identity store

  mutating func identityStore(_ model: ImportModel, existing: ExistingDirectory?) {
    if let users = model.users {
      files["identity-store/1-users.json"] = Self.render(.object([("Users", .array(users.values.sorted { ($0.name, $0.id) < ($1.name, $1.id) }.map(\.json.output)))]))
    }
    if let groups = model.groups {
      files["identity-store/2-groups.json"] = Self.render(.object([("Groups", .array(groups.values.sorted { ($0.name, $0.id) < ($1.name, $1.id) }.map(\.json.output)))]))
    }
    if !model.memberships.isEmpty || !model.membershipCoverage.isEmpty {
      var unknown: Set<String> = []
      let sorted = model.memberships.sorted { ($0.group, $0.user) < ($1.group, $1.user) }
      let entries: [JSONOutput] = sorted.map { membership in
        if let users = model.users, users[membership.user] == nil { unknown.insert("user \(membership.user)") }
        if let groups = model.groups, groups[membership.group] == nil { unknown.insert("group \(membership.group)") }
        var members = (membership.json.members ?? []).map { ($0.key, $0.value.output) }
        if membership.json["GroupId"] == nil { members.insert(("GroupId", .string(membership.group)), at: 0) }
        return .object(members)
      }
      if !unknown.isEmpty {
        warnings.append(Diagnostic(.importUnresolved, .warning,
                                   "group memberships name \(unknown.sorted().joined(separator: ", ")), which list-users and list-groups do not have"))
      }
      files["identity-store/3-memberships.json"] = Self.render(.object([("GroupMemberships", .array(entries))]))
    }
    let written = Set(files.keys.filter { $0.hasPrefix("identity-store/") })
    if !written.isEmpty {
      for file in existing?.files ?? [] where file.hasPrefix("identity-store/") && file.hasSuffix(".json") && !written.contains(file) {
        warnings.append(Diagnostic(.importGuess, .warning,
                                   "`\(file)` of the directory added to is kept beside the imported identity store: remove it if it describes the same users or groups",
                                   file: existing!.path + "/" + file))
      }
    }
  }

  // MARK: - Account access manager

  mutating func accountAccess(_ model: ImportModel, roles: [String: [(name: String, path: String)]], collected: Set<String>) {
    if model.grants.isEmpty && model.grantCoverage.isEmpty, let file = model.accountAccessFile {
      var members: [(String, JSONOutput)] = []
      if let arn = file.applicationArn { members.append(("applicationArn", .string(arn))) }
      members.append(("grants", .array(file.grants)))
      files["account-access.json"] = Self.render(.object(members))
      return
    }
    guard !model.grants.isEmpty || !model.grantCoverage.isEmpty || model.applicationArn != nil else { return }
    var grants: [(sort: [String], json: JSONOutput)] = []
    for grant in model.grants {
      var members: [(String, JSONOutput)] = []
      if let id = grant.id { members.append(("id", .string(id))) }
      members += [("principalType", .string(grant.principalType)), ("principalId", .string(grant.principalId))]
      let name = model.principalName(grant.principalType, grant.principalId)
      if let name { members.append(("principal", .string(name))) }
      members += [("account", .string(grant.account)), ("role", .string(grant.roleName))]
      if collected.contains(grant.account), let list = roles[grant.account], !list.contains(where: { $0.name.lowercased() == grant.roleName.lowercased() }) {
        warnings.append(Diagnostic(.importUnresolved, .warning,
                                   "the entitlement \(grant.id ?? "") names the role `\(grant.roleName)`, which account \(grant.account)'s authorization details do not have"))
      }
      grants.append(([grant.account, grant.roleName, grant.principalType, name ?? grant.principalId], .object(members)))
    }
    grants.sort { $0.sort.lexicographicallyPrecedes($1.sort) }
    var members: [(String, JSONOutput)] = []
    if let arn = model.accessApplication { members.append(("applicationArn", .string(arn))) }
    members.append(("grants", .array(grants.map(\.json))))
    files["account-access.json"] = Self.render(.object(members))
  }
}
