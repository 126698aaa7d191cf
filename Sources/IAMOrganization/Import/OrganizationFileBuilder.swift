/// Builds `organization.json` from the Organizations exports, or, when there are none, from the directory added to
/// (patched with what the other exports tell) or from the accounts the other exports name.
struct OrganizationFileBuilder {
  let model: ImportModel
  let existing: JSONValue?
  /// Accounts whose IAM the directory will hold.
  let collected: Set<String>
  /// Role suffixes by account, by permission-set name.
  let suffixes: [String: [String: String]]
  /// Every account that some output names, besides the Organizations outputs.
  let mentioned: Set<String>
  let identityCenter: [(String, JSONOutput)]
  var warnings: [Diagnostic] = []
  /// Policies attached to each target by type, from `list-targets-for-policy`.
  private let attachedByPolicy: [String: [String: [String]]]
  /// The types whose every policy's targets are listed.
  private let typesWithAllTargets: Set<String>

  init(model: ImportModel, existing: JSONValue?, collected: Set<String>, suffixes: [String: [String: String]],
       mentioned: Set<String>, identityCenter: [(String, JSONOutput)]) {
    self.model = model
    self.existing = existing
    self.collected = collected
    self.suffixes = suffixes
    self.mentioned = mentioned
    self.identityCenter = identityCenter
    var attached: [String: [String: [String]]] = [:]
    for (policy, targets) in model.targets.sorted(by: { $0.key < $1.key }) {
      guard let type = model.policies[policy]?.type ?? Self.fullAccess.first(where: { $0.value == policy })?.key else { continue }
      for target in targets { attached[target.id, default: [:]][type, default: []].append(policy) }
    }
    attachedByPolicy = attached
    var complete: Set<String> = []
    for type in Self.fullAccess.keys where model.listedTypes.contains(type) {
      if model.policies.values.filter({ $0.type == type }).allSatisfy({ model.targets[$0.id] != nil }) { complete.insert(type) }
    }
    typesWithAllTargets = complete
  }

  static let fullAccess = ["SERVICE_CONTROL_POLICY": "p-FullAWSAccess", "RESOURCE_CONTROL_POLICY": "p-RCPFullAWSAccess"]
  static let members = ["SERVICE_CONTROL_POLICY": "scps", "RESOURCE_CONTROL_POLICY": "rcps"]

  /// The root's ID, from `list-roots` or from the parent ID of a `…-for-parent` output.
  var rootID: String? {
    model.root?.id ?? (Array(model.children.keys) + Array(model.placed.keys)).filter(AWSIdentifier.isRoot).sorted().first
  }

  /// Whether the tree comes from the exports (else from the directory added to, or from the accounts named).
  var hasTree: Bool { rootID != nil }

  /// The policy types whose attachments are written: those `list-roots` says are enabled, else both.
  var enabledTypes: [String] {
    guard let root = model.root else { return ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"] }
    return ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"].filter(root.enabledTypes.contains)
  }

  mutating func build() -> JSONOutput {
    if !hasTree, let existing, existing.members != nil { return patch(existing) }
    var members: [(String, JSONOutput)] = [("formatVersion", 1)]
    if let id = model.organization?.id { members.append(("id", .string(id))) }
    if let management = model.organization?.managementAccount { members.append(("managementAccount", .string(management))) }
    if model.root != nil { members.append(("enabledPolicyTypes", .array(enabledTypes.map(JSONOutput.string)))) }
    if !identityCenter.isEmpty { members.append(("identityCenter", .object(identityCenter))) }
    let delegated = delegatedAdministrators
    if !delegated.isEmpty { members.append(("delegatedAdministrators", .array(delegated))) }
    var placed: Set<String> = []
    var visited: Set<String> = []
    var root = node(id: rootID, name: model.root?.name ?? "Root", isRoot: true, placed: &placed, visited: &visited)
    let unplaced = allAccounts.subtracting(placed).sorted()
    if !unplaced.isEmpty {
      if hasTree {
        warnings.append(Diagnostic(.importGuess, .warning,
                                   "the accounts \(unplaced.joined(separator: ", ")) are in no `list-accounts-for-parent` output: they are put under the root, whose SCPs and RCPs then apply to them alone"))
      }
      root = appendingAccounts(unplaced.map(account), to: root)
    }
    members.append(("root", root))
    return .object(members)
  }

  // MARK: - From the exports

  /// Every account that the directory must have in its tree.
  var allAccounts: Set<String> {
    var result = Set(model.accounts.keys).union(mentioned).union(collected)
    if let management = model.organization?.managementAccount { result.insert(management) }
    for accounts in model.delegated.values { result.formUnion(accounts) }
    return result
  }

  private var delegatedAdministrators: [JSONOutput] {
    model.delegated.keys.sorted().flatMap { service in
      model.delegated[service]!.sorted().map { JSONOutput.object([("account", .string($0)), ("servicePrincipal", .string(service))]) }
    }
  }

  private mutating func node(id: String?, name: String, isRoot: Bool, placed: inout Set<String>, visited: inout Set<String>) -> JSONOutput {
    var members: [(String, JSONOutput)] = []
    if let id { members.append(("id", .string(id))) }
    members.append(("name", .string(name)))
    if let id {
      visited.insert(id)
      for type in enabledTypes {
        if let list = controlPolicies(target: id, type: type) { members.append((Self.members[type]!, list)) }
      }
    }
    var accounts: [JSONOutput] = []
    let here = (id.flatMap { model.placed[$0] } ?? []).sorted { ($0.name ?? $0.id, $0.id) < ($1.name ?? $1.id, $1.id) }
    for summary in here where placed.insert(summary.id).inserted { accounts.append(account(summary.id)) }
    if !accounts.isEmpty || isRoot { members.append(("accounts", .array(accounts))) }
    var children: [JSONOutput] = []
    let units = (id.flatMap { model.children[$0] } ?? []).sorted { ($0.name ?? $0.id, $0.id) < ($1.name ?? $1.id, $1.id) }
    for unit in units where !visited.contains(unit.id) {
      children.append(node(id: unit.id, name: unit.name ?? unit.id, isRoot: false, placed: &placed, visited: &visited))
    }
    if !children.isEmpty { members.append(("organizationalUnits", .array(children))) }
    return .object(members)
  }

  private func account(_ id: String) -> JSONOutput {
    var members: [(String, JSONOutput)] = [("id", .string(id))]
    if let name = model.accounts[id]?.name { members.append(("name", .string(name))) }
    if let email = model.accounts[id]?.email { members.append(("email", .string(email))) }
    if hasTree {
      for type in enabledTypes {
        if let list = controlPolicies(target: id, type: type) { members.append((Self.members[type]!, list)) }
      }
    }
    if let roles = suffixes[id], !roles.isEmpty {
      members.append(("roleSuffixes", .object(roles.sorted { $0.key < $1.key }.map { ($0.key, JSONOutput.string($0.value)) })))
    }
    if !collected.contains(id) { members.append(("iam", "not-collected")) }
    return .object(members)
  }

  /// Whether every policy attached to `target` of `type` is known.
  func attachmentsKnown(target: String, type: String) -> Bool {
    model.attachedByTarget[target]?[type] != nil || typesWithAllTargets.contains(type)
  }

  /// The `scps` or `rcps` of a target: what the exports say is attached; when they do not say everything, AWS's
  /// FullAWSAccess is assumed attached unless its own targets are known. `nil`: nothing known (AWS's default).
  func controlPolicies(target: String, type: String) -> JSONOutput? {
    let ids = (model.attachedByTarget[target]?[type] ?? []) + (attachedByPolicy[target]?[type] ?? [])
    var result = ids
    let full = Self.fullAccess[type]!
    if ids.isEmpty { return nil }
    if !attachmentsKnown(target: target, type: type), model.targets[full] == nil { result.append(full) }
    var seen: Set<String> = []
    var entries: [(String, JSONOutput)] = []
    for id in result where seen.insert(id).inserted {
      if id == full {
        entries.append(("", .string(String(full.dropFirst(2)))))
      } else if model.documents[id] != nil {
        let name = model.policies[id]?.name ?? id
        entries.append((name, .object([("id", .string(id)), ("name", .string(name)), ("file", .string("policies/\(id).json"))])))
      }
    }
    return entries.isEmpty ? nil : .array(entries.sorted { $0.0 < $1.0 }.map(\.1))
  }

  private func appendingAccounts(_ accounts: [JSONOutput], to root: JSONOutput) -> JSONOutput {
    guard case .object(var members) = root else { return root }
    if let index = members.firstIndex(where: { $0.0 == "accounts" }), case .array(let list) = members[index].1 {
      members[index].1 = .array(list + accounts)
    } else {
      members.append(("accounts", .array(accounts)))
    }
    return .object(members)
  }

  // MARK: - Patching the directory added to

  /// The accounts of the tree of the directory added to, when it is patched (no tree in the exports), and
  /// whether each says its IAM was not collected.
  var patchedAccounts: [String: Bool] {
    guard !hasTree, let root = existing?["root"] else { return [:] }
    var result: [String: Bool] = [:]
    func collect(_ node: JSONValue) {
      for account in node["accounts"]?.elements ?? [] {
        if let id = account["id"]?.stringValue { result[id] = account["iam"]?.stringValue == "not-collected" }
      }
      for child in node["organizationalUnits"]?.elements ?? [] { collect(child) }
    }
    collect(root)
    return result
  }

  /// The existing `organization.json`, with the role suffixes, IAM collection and Identity Center that the exports
  /// give, and the accounts it lacks added to its root.
  private mutating func patch(_ existing: JSONValue) -> JSONOutput {
    var inTree: Set<String> = []
    func collect(_ node: JSONValue) {
      for account in node["accounts"]?.elements ?? [] { if let id = account["id"]?.stringValue { inTree.insert(id) } }
      for child in node["organizationalUnits"]?.elements ?? [] { collect(child) }
    }
    if let root = existing["root"] { collect(root) }
    var members: [(String, JSONOutput)] = [("formatVersion", 1)]
    for member in existing.members ?? [] where member.key != "formatVersion" {
      switch member.key {
      case "id" where model.organization?.id != nil: members.append(("id", .string(model.organization!.id!)))
      case "managementAccount" where model.organization?.managementAccount != nil:
        members.append(("managementAccount", .string(model.organization!.managementAccount!)))
      case "identityCenter" where !identityCenter.isEmpty:
        var center = (member.value.members ?? []).map { ($0.key, $0.value.output) }
        for (key, value) in identityCenter {
          if let index = center.firstIndex(where: { $0.0 == key }) { center[index].1 = value } else { center.append((key, value)) }
        }
        members.append(("identityCenter", .object(center)))
      case "root":
        var root = patchNode(member.value)
        let missing = allAccounts.subtracting(inTree).sorted()
        if !missing.isEmpty {
          warnings.append(Diagnostic(.importGuess, .warning,
                                     "the accounts \(missing.joined(separator: ", ")) are not in the tree of the directory added to: they are put under its root"))
          root = appendingAccounts(missing.map(account), to: root)
        }
        members.append(("root", root))
      default: members.append((member.key, member.value.output))
      }
    }
    for (key, value) in [("id", model.organization?.id), ("managementAccount", model.organization?.managementAccount)] {
      if let value, !members.contains(where: { $0.0 == key }) { members.insert((key, .string(value)), at: 1) }
    }
    if !identityCenter.isEmpty, !members.contains(where: { $0.0 == "identityCenter" }) {
      members.insert(("identityCenter", .object(identityCenter)), at: members.firstIndex { $0.0 == "root" } ?? members.count)
    }
    return .object(members)
  }

  private func patchNode(_ node: JSONValue) -> JSONOutput {
    .object((node.members ?? []).map { member in
      switch member.key {
      case "accounts": (member.key, .array((member.value.elements ?? []).map(patchAccount)))
      case "organizationalUnits": (member.key, .array((member.value.elements ?? []).map(patchNode)))
      default: (member.key, member.value.output)
      }
    })
  }

  private func patchAccount(_ account: JSONValue) -> JSONOutput {
    guard let id = account["id"]?.stringValue, var members = account.members.map({ $0.map { ($0.key, $0.value.output) } }) else {
      return account.output
    }
    if let roles = suffixes[id], !roles.isEmpty {
      var merged = (account["roleSuffixes"]?.members ?? []).map { ($0.key, $0.value.output) }
      for (name, suffix) in roles.sorted(by: { $0.key < $1.key }) {
        if let index = merged.firstIndex(where: { $0.0 == name }) { merged[index].1 = .string(suffix) } else { merged.append((name, .string(suffix))) }
      }
      if let index = members.firstIndex(where: { $0.0 == "roleSuffixes" }) {
        members[index].1 = .object(merged)
      } else {
        members.insert(("roleSuffixes", .object(merged)), at: members.firstIndex { $0.0 == "iam" } ?? members.count)
      }
    }
    if collected.contains(id) { members.removeAll { $0.0 == "iam" } }
    return .object(members)
  }
}
