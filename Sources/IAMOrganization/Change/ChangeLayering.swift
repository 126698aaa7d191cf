import IAMFederation
import IAMIdentityCenter
import IAMPolicy

/// Sessions a comparison cannot decide: they depend on a value known only once the change is applied. A field
/// that is `nil` stands for any: a scope with no permission set covers every permission set.
public struct OpenScope: Sendable, Hashable, CustomStringConvertible {
  public var permissionSet: String?
  public var account: String?
  /// The group whose members are open (an unknown member, an assignment to a group not known until apply).
  public var group: String?
  public var user: String?
  /// The IAM role that is open (in ``account``); `""` for every role of the account. A scope with a role covers
  /// no Identity Center session.
  public var role: String? = nil
  /// What is unknown, in words.
  public var reason: String
  public var origin: ResourceOrigin

  public init(
    permissionSet: String? = nil, account: String? = nil, group: String? = nil, user: String? = nil,
    reason: String, origin: ResourceOrigin
  ) {
    self.permissionSet = permissionSet
    self.account = account
    self.group = group
    self.user = user
    self.reason = reason
    self.origin = origin
  }

  /// Whether a user's session in an account through a permission set (and group) falls in this scope.
  public func covers(user: String, account: String, permissionSet: String, group: String?) -> Bool {
    role == nil
      && (self.permissionSet.map { $0.lowercased() == permissionSet.lowercased() } ?? true)
      && (self.account.map { $0 == account } ?? true)
      && (self.group.map { $0.lowercased() == group?.lowercased() } ?? true)
      && (self.user.map { $0.lowercased() == user.lowercased() } ?? true)
  }

  /// Whether an IAM role's session in an account falls in this scope: the role's own scope, or the whole account's.
  public func covers(role: String, account: String) -> Bool {
    permissionSet == nil && group == nil && user == nil && self.account.map { $0 == account } ?? true
      && (self.role.map { $0.isEmpty || $0.lowercased() == role.lowercased() } ?? true)
  }

  public var description: String {
    var parts: [String] = []
    if let role { parts.append(role.isEmpty ? "every IAM role" : "role \(role)") }
    if let permissionSet { parts.append("permission set \(permissionSet)") }
    if let group { parts.append("group \(group)") }
    if let user, !user.isEmpty { parts.append("user \(user)") }
    if let account { parts.append("account \(account)") }
    return (parts.isEmpty ? "every session" : parts.joined(separator: ", ")) + ": \(reason) (\(origin.address))"
  }
}

/// An organization with a change's resources laid over it, and what the change leaves open.
public struct LaidOrganization: Sendable {
  public var organization: Organization
  /// Sessions that depend on values known only after apply: never to be reported unchanged.
  public var open: [OpenScope]
}

extension Organization {
  /// Lays a change's resources over an organization, or builds one from them when there is no base: the one way
  /// Terraform plans and states and CloudFormation templates become organizations.
  ///
  /// Resources are matched to the base by their AWS identifiers (permission-set ARN, identity-store user and group
  /// ID, policy ID, account, OU and root ID), else by name (permission-set name, user name, group display name,
  /// policy name) where the change has no identifier yet; references between resources of the change follow
  /// their address. `absent` resources are taken out first, then `present` ones are laid over (entities before
  /// the attachments, assignments and memberships that name them). See `Documentation/ChangeReview.md`.
  ///
  /// - Parameters:
  ///   - layer: the resources of one side of the change.
  ///   - base: the organization the change applies to; `nil` builds one from the resources alone (accounts that
  ///     assignments name are added under the root, their IAM not collected).
  ///   - known: resources read only to join identifiers to names (Terraform data sources and unchanged resources).
  /// - Throws: ``InputError`` naming the file, JSON path and line:column of each reference that resolves nowhere
  ///   and each invalid policy.
  public static func laying(_ layer: ResourceLayer, over base: Organization?, known: [ChangeItem] = [])
    throws(InputError)
    -> LaidOrganization
  {
    var layering = Layering(base: base)
    layering.learn(known + layer.absent + layer.present)
    for item in layer.absent { layering.remove(item) }
    let order: (ChangeItem) -> Int = { item in
      switch item.resource {
      case .organizationalUnit: 0
      case .account: 1
      case .permissionSet, .user, .group, .controlPolicy, .iamPolicy: 2
      case .iamRole: 3
      default: 4
      }
    }
    let sorted = layer.present.enumerated().sorted { (order($0.element), $0.offset) < (order($1.element), $1.offset) }
      .map(\.element)
    for item in sorted { layering.add(item) }
    let accountIAM = layering.resolveIAM()
    guard !layering.diagnostics.containsErrors else { throw InputError(layering.diagnostics) }
    return LaidOrganization(organization: layering.organization(iam: accountIAM), open: layering.open)
  }
}

/// One laying of resources over an organization.
struct Layering {
  let base: Organization?
  var permissionSets: [PermissionSet]
  var assignments: [Assignment]
  var users: [IdentityStoreUser]
  var groups: [IdentityStoreGroup]
  var root: OrganizationalUnit
  var diagnostics: [Diagnostic] = []
  var open: [OpenScope] = []
  let managed: ManagedDocuments

  /// Identifier → name joins, from the base and every resource of the change.
  var permissionSetByArn: [String: String] = [:]
  var userByID: [String: String] = [:]
  var groupByID: [String: String] = [:]
  /// Address → the entity a resource of the change stands for.
  var byAddress: [String: String] = [:]
  /// Control policies of the change, by lower-cased name.
  var controlPolicies: [String: (id: String?, name: String, type: ControlPolicyType, document: PolicyDocument?)] = [:]
  var controlPolicyByID: [String: String] = [:]
  /// The IAM of the accounts the change touches, by account ID.
  var iam: [String: EditedIAM] = [:]

  init(base: Organization?) {
    self.base = base
    permissionSets = base?.permissionSets ?? []
    assignments = base?.assignments ?? []
    users = base?.identityStore.users ?? []
    groups = base?.identityStore.groups ?? []
    root =
      base?.root
      ?? OrganizationalUnit(
        name: "Root", serviceControlPolicies: [TreeReader.fullAccess(.serviceControlPolicy)],
        resourceControlPolicies: [TreeReader.fullAccess(.resourceControlPolicy)], accounts: [], children: [])
    managed = base?.managed ?? ManagedDocuments.shared
    for set in permissionSets { if let arn = set.arn { permissionSetByArn[arn] = set.name } }
    for user in users { if let id = user.id { userByID[id] = user.userName } }
    for group in groups { if let id = group.id { groupByID[id] = group.displayName } }
    func walk(_ node: OrganizationalUnit) {
      for policy in node.serviceControlPolicies + node.accounts.flatMap(\.serviceControlPolicies) {
        if let id = policy.id { controlPolicyByID[id] = policy.name }
      }
      for policy in node.resourceControlPolicies + node.accounts.flatMap(\.resourceControlPolicies) {
        if let id = policy.id { controlPolicyByID[id] = policy.name }
      }
      node.children.forEach(walk)
    }
    walk(root)
  }

  mutating func error(_ item: ChangeItem, _ message: String) {
    diagnostics.append(
      Diagnostic(
        .changeUnresolved, .error, "\(item.origin.address): \(message)", file: item.origin.file,
        path: item.origin.path, position: item.origin.position))
  }

  mutating func leaveOpen(
    _ item: ChangeItem, _ reason: String, permissionSet: String? = nil, account: String? = nil,
    group: String? = nil, user: String? = nil, role: String? = nil
  ) {
    var scope = OpenScope(
      permissionSet: permissionSet, account: account, group: group, user: user, reason: reason, origin: item.origin)
    scope.role = role
    open.append(scope)
  }

  /// Learns every identifier → name join the change's resources give.
  mutating func learn(_ items: [ChangeItem]) {
    for item in items {
      switch item.resource {
      case .permissionSet(let name, let arn, _, _):
        if let arn = arn.value { permissionSetByArn[arn] = permissionSetByArn[arn] ?? name }
        byAddress[item.origin.address] = name
      case .user(let id, let userName, _):
        if let id = id.value { userByID[id] = userByID[id] ?? userName }
        byAddress[item.origin.address] = userName
      case .group(let id, let displayName):
        if let id = id.value { groupByID[id] = groupByID[id] ?? displayName }
        byAddress[item.origin.address] = displayName
      case .controlPolicy(let id, let name, _, _, _):
        if let id = id.value { controlPolicyByID[id] = controlPolicyByID[id] ?? name }
        byAddress[item.origin.address] = name
      case .account(let id, let name, _):
        byAddress[item.origin.address] = id.value ?? ("\u{1}" + name)
      case .organizationalUnit(let id, let name, _):
        byAddress[item.origin.address] = id.value ?? ("\u{1}" + name)
      case .iamRole(let account, let name, _, _, _, _, _):
        byAddress[item.origin.address] = account + "\u{0}" + name
      case .iamPolicy(let account, let name, let path, _):
        byAddress[item.origin.address] = EditedIAM.policyARN(account: account, path: path, name: name)
      default:
        break
      }
    }
  }

  // MARK: - References

  /// The name of the permission set a reference names; `nil` after reporting (an error, or an open scope).
  mutating func permissionSet(_ reference: EntityReference, _ item: ChangeItem, account: String? = nil) -> String? {
    switch reference {
    case .identifier(let arn):
      if let name = permissionSetByArn[arn], permissionSetIndex(name) != nil { return name }
      error(item, "no permission set of the organization or the change has the ARN `\(arn)`")
    case .resource(let address):
      if let name = byAddress[address], permissionSetIndex(name) != nil { return name }
      error(item, "`\(address)` is not a permission set of the change")
    case .unknown(let what):
      leaveOpen(item, "the permission set (\(what)) is known only after apply", account: account)
    }
    return nil
  }

  func permissionSetIndex(_ name: String) -> Int? {
    permissionSets.firstIndex { $0.name.lowercased() == name.lowercased() }
  }

  mutating func group(_ reference: EntityReference, _ item: ChangeItem) -> String? {
    switch reference {
    case .identifier(let id):
      if let name = groupByID[id], groups.contains(where: { $0.displayName.lowercased() == name.lowercased() }) {
        return name
      }
      error(item, "no group of the identity store or the change has the ID `\(id)`")
    case .resource(let address):
      if let name = byAddress[address], groups.contains(where: { $0.displayName.lowercased() == name.lowercased() }) {
        return name
      }
      error(item, "`\(address)` is not a group of the change")
    case .unknown(let what):
      leaveOpen(item, "the group (\(what)) is known only after apply")
    }
    return nil
  }

  mutating func user(_ reference: EntityReference, _ item: ChangeItem) -> IdentityStoreUser? {
    let name: String?
    switch reference {
    case .identifier(let id): name = userByID[id]
    case .resource(let address): name = byAddress[address]
    case .unknown(let what):
      leaveOpen(item, "the user (\(what)) is known only after apply")
      return nil
    }
    if let name, let user = users.first(where: { $0.userName.lowercased() == name.lowercased() }) { return user }
    error(item, "no user of the identity store or the change is `\(reference)`")
    return nil
  }

  /// The account an assignment or attachment names: it must be in the tree, except when there is no base.
  mutating func account(_ reference: EntityReference, _ item: ChangeItem) -> String? {
    switch reference {
    case .identifier(let id):
      guard StrictReader.isAccountID(id) else {
        error(item, "`\(id)` is not a 12-digit account ID")
        return nil
      }
      if accountExists(id) { return id }
      if base == nil {
        root.accounts.append(Layering.newAccount(id, name: id))
        return id
      }
      error(item, "the account \(id) is not in the organization")
    case .resource(let address):
      guard let id = byAddress[address] else {
        error(item, "`\(address)` is not an account of the change")
        return nil
      }
      if !id.hasPrefix("\u{1}") && accountExists(id) { return id }
      leaveOpen(item, "the account `\(address)` gets its ID only when it is created")
    case .unknown(let what):
      leaveOpen(item, "the account (\(what)) is known only after apply")
    }
    return nil
  }

  func accountExists(_ id: String) -> Bool {
    func find(_ node: OrganizationalUnit) -> Bool {
      node.accounts.contains { $0.id == id } || node.children.contains(where: find)
    }
    return find(root)
  }

  // MARK: - Removing

  mutating func remove(_ item: ChangeItem) {
    switch item.resource {
    case .permissionSet(let name, _, _, _):
      permissionSets.removeAll { $0.name.lowercased() == name.lowercased() }
      assignments.removeAll { $0.permissionSet.lowercased() == name.lowercased() }
    case .managedPolicyAttachment(let reference, let arn):
      guard let name = permissionSet(reference, item), let index = permissionSetIndex(name), let arn = arn.value else {
        return
      }
      permissionSets[index].awsManagedPolicies.removeAll { $0 == arn }
    case .customerManagedPolicyAttachment(let reference, let policy):
      guard let name = permissionSet(reference, item), let index = permissionSetIndex(name), let policy = policy.value
      else { return }
      permissionSets[index].customerManagedPolicies.removeAll { $0 == policy }
    case .inlinePolicy(let reference, _):
      guard let name = permissionSet(reference, item), let index = permissionSetIndex(name) else { return }
      permissionSets[index].inlinePolicy = nil
    case .permissionsBoundary(let reference, _):
      guard let name = permissionSet(reference, item), let index = permissionSetIndex(name) else { return }
      permissionSets[index].permissionsBoundary = nil
    case .assignment(let reference, let type, let principal, let target):
      guard let name = permissionSet(reference, item), let account = account(target, item),
        let principal = principalName(type, principal, item)
      else { return }
      assignments.removeAll {
        $0.permissionSet.lowercased() == name.lowercased() && $0.account == account && $0.principalType == type
          && $0.principal.lowercased() == principal.lowercased()
      }
    case .user(_, let userName, _):
      guard let user = users.first(where: { $0.userName.lowercased() == userName.lowercased() }) else { return }
      users.removeAll { $0.userName.lowercased() == userName.lowercased() }
      if let id = user.id { for index in groups.indices { groups[index].memberIDs.removeAll { $0 == id } } }
      assignments.removeAll { $0.principalType == .user && $0.principal.lowercased() == userName.lowercased() }
    case .group(_, let displayName):
      groups.removeAll { $0.displayName.lowercased() == displayName.lowercased() }
      assignments.removeAll { $0.principalType == .group && $0.principal.lowercased() == displayName.lowercased() }
    case .membership(let groupReference, let member):
      guard let name = group(groupReference, item), let user = user(member, item), let id = user.id,
        let index = groups.firstIndex(where: { $0.displayName.lowercased() == name.lowercased() })
      else { return }
      groups[index].memberIDs.removeAll { $0 == id }
    case .controlPolicy(_, let name, _, _, _):
      Self.edit(&root) { node in
        node.serviceControlPolicies.removeAll { $0.name.lowercased() == name.lowercased() }
        node.resourceControlPolicies.removeAll { $0.name.lowercased() == name.lowercased() }
      } account: { account in
        account.serviceControlPolicies.removeAll { $0.name.lowercased() == name.lowercased() }
        account.resourceControlPolicies.removeAll { $0.name.lowercased() == name.lowercased() }
      }
    case .controlPolicyAttachment(let policy, let target):
      guard let name = controlPolicyName(policy, item) else { return }
      attach(name, to: target, item, detach: true)
    case .account(let id, _, _):
      guard let id = id.value else { return }
      Self.edit(&root) { node in
        node.accounts.removeAll { $0.id == id }
      } account: { _ in
      }
      assignments.removeAll { $0.account == id }
    case .organizationalUnit:
      // An OU can only be deleted empty: its accounts have moved, which their own resources say.
      break
    case .iamRole, .iamPolicy, .iamRolePolicyAttachment, .iamRolePolicy:
      removeIAM(item)
    }
  }

  // MARK: - Adding

  mutating func add(_ item: ChangeItem) {
    switch item.resource {
    case .permissionSet(let name, let arn, let duration, let policies):
      var index = arn.value.flatMap { arn in permissionSets.firstIndex { $0.arn == arn } } ?? permissionSetIndex(name)
      if index == nil {
        let json = JSONValue(
          .object([
            JSONValue.Member(
              key: "Name", keyPosition: item.origin.position ?? SourcePosition(line: 1, column: 1),
              value: JSONValue(.string(name), at: item.origin.position ?? SourcePosition(line: 1, column: 1)))
          ]))
        do throws(InputError) {
          let (set, _) = try PermissionSet.read(json, source: item.origin.file, at: item.origin.path)
          permissionSets.append(set)
          index = permissionSets.count - 1
        } catch {
          diagnostics += error.diagnostics
          return
        }
      }
      let position = index!
      permissionSets[position].name = name
      if let arn = arn.value { permissionSets[position].arn = arn }
      if let duration { permissionSets[position].sessionDuration = duration }
      if let policies {
        permissionSets[position].awsManagedPolicies = []
        permissionSets[position].customerManagedPolicies = policies.customerManaged
        permissionSets[position].inlinePolicy = nil
        permissionSets[position].permissionsBoundary = nil
        for arn in policies.managed { attachManaged(arn, to: position, item) }
        if let inline = policies.inline { setInline(inline, at: position, item) }
        if let boundary = policies.boundary { setBoundary(boundary, at: position, item) }
      }
    case .managedPolicyAttachment(let reference, let arn):
      guard let name = permissionSet(reference, item), let index = permissionSetIndex(name) else { return }
      attachManaged(arn, to: index, item)
    case .customerManagedPolicyAttachment(let reference, let policy):
      guard let name = permissionSet(reference, item), let index = permissionSetIndex(name) else { return }
      switch policy {
      case .known(let policy):
        if !permissionSets[index].customerManagedPolicies.contains(policy) {
          permissionSets[index].customerManagedPolicies.append(policy)
        }
      case .unknown(let what):
        leaveOpen(item, "a customer managed policy reference (\(what)) is known only after apply", permissionSet: name)
      }
    case .inlinePolicy(let reference, let document):
      guard let name = permissionSet(reference, item), let index = permissionSetIndex(name) else { return }
      setInline(document, at: index, item)
    case .permissionsBoundary(let reference, let boundary):
      guard let name = permissionSet(reference, item), let index = permissionSetIndex(name) else { return }
      setBoundary(boundary, at: index, item)
    case .assignment(let reference, let type, let principalReference, let target):
      let account = account(target, item)
      guard let name = permissionSet(reference, item, account: account) else { return }
      guard let account else {
        if case .unknown = target {} else { return }
        return
      }
      guard let principal = principalName(type, principalReference, item, permissionSet: name, account: account) else {
        return
      }
      let assignment = Assignment(
        principalType: type, principal: principal, permissionSet: name,
        permissionSetArn: permissionSets[permissionSetIndex(name)!].arn, account: account)
      if !assignments.contains(where: {
        $0.permissionSet.lowercased() == name.lowercased() && $0.account == account && $0.principalType == type
          && $0.principal.lowercased() == principal.lowercased()
      }) {
        assignments.append(assignment)
      }
    case .user(let id, let userName, let attributes):
      let existing =
        id.value.flatMap { id in users.firstIndex { $0.id == id } }
        ?? users.firstIndex { $0.userName.lowercased() == userName.lowercased() }
      let newID = id.value ?? existing.flatMap { users[$0].id } ?? "pending:" + item.origin.address
      var user = IdentityStoreUser(id: newID, userName: userName, attributes: attributes)
      if let existing {
        user.externalIDs = users[existing].externalIDs
        if attributes.isEmpty { user.attributes = users[existing].attributes }
        if let old = users[existing].id, old != newID {
          for index in groups.indices {
            groups[index].memberIDs = groups[index].memberIDs.map { $0 == old ? newID : $0 }
          }
        }
        users[existing] = user
      } else {
        users.append(user)
      }
      userByID[newID] = userName
    case .group(let id, let displayName):
      let existing =
        id.value.flatMap { id in groups.firstIndex { $0.id == id } }
        ?? groups.firstIndex { $0.displayName.lowercased() == displayName.lowercased() }
      if let existing {
        let old = groups[existing].displayName
        groups[existing].displayName = displayName
        if let id = id.value { groups[existing].id = id }
        for index in assignments.indices
        where assignments[index].principalType == .group && assignments[index].principal == old {
          assignments[index].principal = displayName
        }
      } else {
        groups.append(IdentityStoreGroup(id: id.value ?? "pending:" + item.origin.address, displayName: displayName))
      }
    case .membership(let groupReference, let member):
      guard let name = group(groupReference, item),
        let index = groups.firstIndex(where: { $0.displayName.lowercased() == name.lowercased() })
      else { return }
      if case .unknown(let what) = member {
        // Only the new member is open (an empty user name matches nobody known): the others' access does not change.
        leaveOpen(item, "a member of \(name) (\(what)) is known only after apply", group: name, user: "")
        return
      }
      guard let user = user(member, item), let id = user.id else { return }
      if !groups[index].memberIDs.contains(id) { groups[index].memberIDs.append(id) }
    case .controlPolicy(let id, let name, let typeName, let content, let targets):
      guard let type = ControlPolicyType(rawValue: typeName) else { return }
      var document: PolicyDocument?
      switch content {
      case .known(let json):
        document = policy(
          json, name: name, kind: type == .serviceControlPolicy ? .serviceControl : .resourceControl, item)
        if document == nil { return }
      case .unknown(let what):
        leaveOpen(
          item,
          "the content of the \(type == .serviceControlPolicy ? "SCP" : "RCP") `\(name)` (\(what)) is known only after apply"
        )
      }
      controlPolicies[name.lowercased()] = (id.value, name, type, document)
      if let document {
        // The same policy attached already: its new content applies wherever it is.
        let replacement = ControlPolicy(id: id.value, name: name, document: document)
        Self.edit(&root) { node in
          Self.replace(&node.serviceControlPolicies, replacement, id: id.value)
          Self.replace(&node.resourceControlPolicies, replacement, id: id.value)
        } account: { account in
          Self.replace(&account.serviceControlPolicies, replacement, id: id.value)
          Self.replace(&account.resourceControlPolicies, replacement, id: id.value)
        }
      }
      for target in targets ?? [] { attach(name, to: target, item, detach: false) }
    case .controlPolicyAttachment(let policy, let target):
      guard let name = controlPolicyName(policy, item) else { return }
      attach(name, to: target, item, detach: false)
    case .account(let id, let name, let parent):
      guard let id = id.value else { return }
      if accountExists(id) { return }
      let account = Layering.newAccount(id, name: name)
      if let parent, let path = nodePath(parent, item) {
        Self.editNode(&root, path) { $0.accounts.append(account) }
      } else if parent == nil {
        root.accounts.append(account)
      }
    case .organizationalUnit(let id, let name, let parent):
      guard let path = nodePath(parent, item) else { return }
      Self.editNode(&root, path) { node in
        if node.children.contains(where: {
          ($0.id != nil && $0.id == id.value) || $0.name.lowercased() == name.lowercased()
        }) {
          return
        }
        node.children.append(
          OrganizationalUnit(
            id: id.value, name: name, serviceControlPolicies: [TreeReader.fullAccess(.serviceControlPolicy)],
            resourceControlPolicies: [TreeReader.fullAccess(.resourceControlPolicy)],
            accounts: [], children: []))
      }
    case .iamRole, .iamPolicy, .iamRolePolicyAttachment, .iamRolePolicy:
      addIAM(item)
    }
  }

  mutating func principalName(
    _ type: PrincipalType, _ reference: EntityReference, _ item: ChangeItem,
    permissionSet: String? = nil, account: String? = nil
  ) -> String? {
    if case .unknown(let what) = reference {
      leaveOpen(
        item, "the \(type == .user ? "user" : "group") assigned (\(what)) is known only after apply",
        permissionSet: permissionSet, account: account)
      return nil
    }
    switch type {
    case .user: return user(reference, item)?.userName
    case .group: return group(reference, item)
    }
  }

  mutating func attachManaged(_ arn: Planned<String>, to index: Int, _ item: ChangeItem) {
    switch arn {
    case .known(let arn):
      do throws(InputError) {
        _ = try managed.document(
          arn, kind: .identity, file: item.origin.file, path: item.origin.path, position: item.origin.position)
      } catch {
        diagnostics += error.diagnostics
        return
      }
      if !permissionSets[index].awsManagedPolicies.contains(arn) {
        permissionSets[index].awsManagedPolicies.append(arn)
      }
    case .unknown(let what):
      leaveOpen(
        item, "a managed policy ARN (\(what)) is known only after apply", permissionSet: permissionSets[index].name)
    }
  }

  mutating func setInline(_ document: Planned<JSONValue>, at index: Int, _ item: ChangeItem) {
    switch document {
    case .known(let json):
      if json.stringValue == "" {
        permissionSets[index].inlinePolicy = nil
        return
      }
      guard
        let parsed = policy(
          json, name: "permission set \(permissionSets[index].name) inline policy", kind: .identity, item)
      else { return }
      permissionSets[index].inlinePolicy = parsed
    case .unknown(let what):
      leaveOpen(
        item, "the inline policy (\(what)) is known only after apply", permissionSet: permissionSets[index].name)
    }
  }

  mutating func setBoundary(_ boundary: Planned<PermissionSet.Boundary>, at index: Int, _ item: ChangeItem) {
    switch boundary {
    case .known(let boundary):
      if case .awsManaged(let arn) = boundary {
        do throws(InputError) {
          _ = try managed.document(
            arn, kind: .permissionsBoundary, file: item.origin.file, path: item.origin.path,
            position: item.origin.position)
        } catch {
          diagnostics += error.diagnostics
          return
        }
      }
      permissionSets[index].permissionsBoundary = boundary
    case .unknown(let what):
      leaveOpen(
        item, "the permissions boundary (\(what)) is known only after apply", permissionSet: permissionSets[index].name)
    }
  }

  /// A policy given as a JSON object or as a string holding one (as Terraform and the APIs take it).
  mutating func policy(_ json: JSONValue, name: String, kind: PolicyKind, _ item: ChangeItem) -> PolicyDocument? {
    do throws(InputError) {
      if let text = json.stringValue {
        let parsed: JSONValue
        do { parsed = try JSONReader().read(text) } catch {
          throw InputError(
            .jsonSyntax,
            "\(item.origin.address): the policy string is not JSON: \(error.message) (at \(error.position) in the string)",
            file: item.origin.file, path: item.origin.path, position: json.position)
        }
        do throws(InputError) {
          return try PolicyDocument(json: parsed, name: name, kind: kind, file: item.origin.file, at: item.origin.path)
        } catch {
          // Positions inside a string are the string's own: point at the string, and say where in it.
          throw InputError(
            error.diagnostics.map { diagnostic in
              var moved = diagnostic
              moved.message =
                "\(item.origin.address): \(diagnostic.message)"
                + (diagnostic.position.map { " (at \($0) in the policy string)" } ?? "")
              moved.position = json.position
              return moved
            })
        }
      }
      return try PolicyDocument(json: json, name: name, kind: kind, file: item.origin.file, at: item.origin.path)
    } catch {
      diagnostics += error.diagnostics
      return nil
    }
  }

  mutating func controlPolicyName(_ reference: EntityReference, _ item: ChangeItem) -> String? {
    switch reference {
    case .identifier(let id):
      if let name = controlPolicyByID[id] { return name }
      if id == "p-FullAWSAccess" { return "FullAWSAccess" }
      error(item, "no control policy of the organization or the change has the ID `\(id)`")
    case .resource(let address):
      if let name = byAddress[address] { return name }
      error(item, "`\(address)` is not a control policy of the change")
    case .unknown(let what):
      leaveOpen(item, "the control policy attached (\(what)) is known only after apply")
    }
    return nil
  }

  /// The control policy with this name, from the change or anywhere in the tree.
  func controlPolicy(named name: String) -> (ControlPolicy, ControlPolicyType)? {
    if let known = controlPolicies[name.lowercased()] {
      guard let document = known.document else { return nil }
      return (ControlPolicy(id: known.id, name: known.name, document: document), known.type)
    }
    var found: (ControlPolicy, ControlPolicyType)?
    func walk(_ node: OrganizationalUnit) {
      for policy in node.serviceControlPolicies + node.accounts.flatMap(\.serviceControlPolicies)
      where policy.name.lowercased() == name.lowercased() {
        found = found ?? (policy, .serviceControlPolicy)
      }
      for policy in node.resourceControlPolicies + node.accounts.flatMap(\.resourceControlPolicies)
      where policy.name.lowercased() == name.lowercased() {
        found = found ?? (policy, .resourceControlPolicy)
      }
      node.children.forEach(walk)
    }
    walk(root)
    if found == nil && name == "FullAWSAccess" {
      return (TreeReader.fullAccess(.serviceControlPolicy), .serviceControlPolicy)
    }
    return found
  }

  mutating func attach(_ name: String, to target: EntityReference, _ item: ChangeItem, detach: Bool) {
    guard let (policy, type) = controlPolicy(named: name) else {
      if controlPolicies[name.lowercased()] != nil {
        // Its content is open: every account under the target is.
        leaveOpen(item, "the control policy `\(name)` has content known only after apply")
      } else {
        error(item, "no control policy of the organization or the change is named `\(name)`")
      }
      return
    }
    let id: String
    switch target {
    case .identifier(let known): id = known
    case .resource(let address):
      guard let known = byAddress[address], !known.hasPrefix("\u{1}") else {
        leaveOpen(item, "the target `\(address)` gets its ID only when it is created")
        return
      }
      id = known
    case .unknown(let what):
      leaveOpen(item, "the target of `\(name)` (\(what)) is known only after apply")
      return
    }
    func update(_ list: inout [ControlPolicy]) {
      if detach {
        list.removeAll { $0.name.lowercased() == policy.name.lowercased() }
      } else if !list.contains(where: { $0.name.lowercased() == policy.name.lowercased() }) {
        list.append(policy)
      }
    }
    if StrictReader.isAccountID(id) {
      guard accountExists(id) else {
        error(item, "the account \(id) is not in the organization")
        return
      }
      Self.edit(&root) { _ in
      } account: { account in
        guard account.id == id else { return }
        if type == .serviceControlPolicy {
          update(&account.serviceControlPolicies)
        } else {
          update(&account.resourceControlPolicies)
        }
      }
      return
    }
    guard let path = nodePath(.identifier(id), item) else { return }
    Self.editNode(&root, path) { node in
      if type == .serviceControlPolicy {
        update(&node.serviceControlPolicies)
      } else {
        update(&node.resourceControlPolicies)
      }
    }
  }

  /// The child positions from the root to the node a reference names (the root, an OU by ID, or an OU of the change).
  mutating func nodePath(_ reference: EntityReference, _ item: ChangeItem) -> [Int]? {
    var wanted: String
    switch reference {
    case .identifier(let id): wanted = id
    case .resource(let address):
      guard let known = byAddress[address] else {
        error(item, "`\(address)` is not an OU of the change")
        return nil
      }
      wanted = known
    case .unknown(let what):
      leaveOpen(item, "the parent (\(what)) is known only after apply")
      return nil
    }
    if wanted.hasPrefix("r-") && (root.id == nil || root.id == wanted) { return [] }
    func find(_ node: OrganizationalUnit, _ path: [Int]) -> [Int]? {
      for (index, child) in node.children.enumerated() {
        if child.id == wanted
          || (wanted.hasPrefix("\u{1}") && child.name.lowercased() == wanted.dropFirst().lowercased())
        {
          return path + [index]
        }
        if let found = find(child, path + [index]) { return found }
      }
      return nil
    }
    if let found = find(root, []) { return found }
    if base == nil && AWSIdentifier.isOrganizationalUnit(wanted) {
      root.children.append(
        OrganizationalUnit(
          id: wanted, name: wanted, serviceControlPolicies: [TreeReader.fullAccess(.serviceControlPolicy)],
          resourceControlPolicies: [TreeReader.fullAccess(.resourceControlPolicy)],
          accounts: [], children: []))
      return [root.children.count - 1]
    }
    error(
      item, "no root or OU of the organization is `\(wanted.hasPrefix("\u{1}") ? String(wanted.dropFirst()) : wanted)`")
    return nil
  }

  /// An account the change creates or names without a base: AWS attaches FullAWSAccess and RCPFullAWSAccess to
  /// every new account; its IAM is not known.
  static func newAccount(_ id: String, name: String) -> Account {
    Account(
      id: id, name: name, serviceControlPolicies: [TreeReader.fullAccess(.serviceControlPolicy)],
      resourceControlPolicies: [TreeReader.fullAccess(.resourceControlPolicy)], iam: nil)
  }

  static func replace(_ list: inout [ControlPolicy], _ policy: ControlPolicy, id: String?) {
    for index in list.indices
    where (id != nil && list[index].id == id) || list[index].name.lowercased() == policy.name.lowercased() {
      list[index] = policy
    }
  }

  static func edit(
    _ node: inout OrganizationalUnit, _ body: (inout OrganizationalUnit) -> Void,
    account: (inout Account) -> Void
  ) {
    body(&node)
    for index in node.accounts.indices { account(&node.accounts[index]) }
    for index in node.children.indices { edit(&node.children[index], body, account: account) }
  }

  static func editNode(_ node: inout OrganizationalUnit, _ path: [Int], _ body: (inout OrganizationalUnit) -> Void) {
    guard let first = path.first else { return body(&node) }
    editNode(&node.children[first], Array(path.dropFirst()), body)
  }

  /// The organization laid, with the IAM of the accounts the change touched (``resolveIAM()``).
  func organization(iam: [String: AccountIAM]) -> Organization {
    var root = self.root
    if !iam.isEmpty {
      Self.edit(&root) { _ in
      } account: { account in
        if let edited = iam[account.id] { account.iam = edited }
      }
    }
    var organization = Organization(
      id: base?.id, managementAccount: base?.managementAccount,
      enabledPolicyTypes: base?.enabledPolicyTypes ?? Set(ControlPolicyType.allCases),
      identityCenter: base?.identityCenter ?? IdentityCenterInstance(),
      delegatedAdministrators: base?.delegatedAdministrators ?? [],
      root: root, permissionSets: permissionSets, assignments: assignments,
      identityStore: IdentityStore(users: users, groups: groups),
      accessControl: base?.accessControl, accountAccess: base?.accountAccess ?? AccountAccess(),
      findings: base?.findings ?? [])
    organization.managed = managed
    return organization
  }
}

extension Diagnostic.Code {
  /// A resource of a change names something that resolves nowhere.
  public static let changeUnresolved: Self = "change.unresolved"
  /// A CloudFormation intrinsic function or parameter that cannot be resolved.
  public static let changeUnresolvable: Self = "change.unresolvable"
  /// A Terraform or CloudFormation document iamsim does not read (wrong format version, not a plan or state).
  public static let changeFormat: Self = "change.format"
  /// A YAML template that does not read.
  public static let yamlSyntax: Self = "yaml.syntax"
}
