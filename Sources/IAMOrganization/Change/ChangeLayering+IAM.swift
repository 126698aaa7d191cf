import IAMPolicy

/// An account's IAM while a change is laid over it: roles keep their attached policies by ARN and their inline
/// policies by name, so that a customer managed policy's new document reaches every role that attaches it, and
/// a policy the change removes cannot stay attached unnoticed. ``Layering/resolveIAM()`` turns it back into an
/// ``AccountIAM``.
struct EditedIAM {
  struct Role {
    var name: String
    var path: String
    var arn: String
    var roleId: String?
    var trustPolicy: PolicyDocument?
    var trustPolicyJSON: JSONValue?
    /// Attached managed policies by ARN, with the resource that attached each (`nil`: the base).
    var attached: [(arn: String, by: ChangeItem?)]
    var inline: [(name: String, document: PolicyDocument)]
    var boundary: Boundary?
    var tags: [IAMTag]
    /// The resource that last wrote the role (`nil`: the base).
    var origin: ChangeItem?
    /// Taken out by the change. A role resource that is updated is taken out and laid again: its attachments and
    /// inline policies, which other resources hold, stay.
    var removed = false
  }

  enum Boundary {
    case arn(String, by: ChangeItem?)
    /// The base's resolved boundary, whose ARN the directory does not keep.
    case document(PolicyDocument)
  }

  var roles: [Role]
  var policies: [CustomerManagedPolicy]
  var users: [IAMUser]
  /// The names (as documents name them, `PATH` + `NAME`) of customer managed policies whose document the change
  /// replaced, with the new document; IAM users' copies are replaced by name.
  var replaced: [String: PolicyDocument] = [:]

  init(_ iam: AccountIAM) {
    policies = iam.policies
    users = iam.users
    roles = iam.roles.map { role in
      Role(
        name: role.name, path: role.path, arn: role.arn, roleId: role.roleId, trustPolicy: role.trustPolicy,
        trustPolicyJSON: role.trustPolicyJSON, attached: role.attachedPolicyArns.map { ($0, nil) },
        inline: role.inlinePolicies, boundary: role.permissionsBoundary.map { .document($0) }, tags: role.tags,
        origin: nil)
    }
  }

  func roleIndex(_ name: String) -> Int? { roles.firstIndex { $0.name.lowercased() == name.lowercased() } }

  static func roleARN(account: String, path: String, name: String) -> String {
    "arn:aws:iam::\(account):role\(path)\(name)"
  }

  static func policyARN(account: String, path: String, name: String) -> String {
    "arn:aws:iam::\(account):policy\(path)\(name)"
  }
}

extension Layering {
  /// The account's IAM being edited; `nil` after reporting when the account is not in the organization, or
  /// leaving the role open when its IAM was not collected.
  mutating func editedIAM(_ account: String, _ item: ChangeItem, role: String?) -> Bool {
    if iam[account] != nil { return true }
    guard StrictReader.isAccountID(account) else {
      error(item, "`\(account)` is not a 12-digit account ID")
      return false
    }
    if !accountExists(account) {
      guard base == nil else {
        error(item, "the account \(account) is not in the organization")
        return false
      }
      root.accounts.append(Layering.newAccount(account, name: account))
    }
    if let collected = base?.account(account)?.iam {
      iam[account] = EditedIAM(collected)
    } else if base == nil {
      // Without a base the change is all that is known of the account's IAM.
      iam[account] = EditedIAM(AccountIAM())
    } else {
      leaveOpen(
        item, "the IAM of account \(account) was not collected, so what else its roles hold is unknown",
        account: account, role: role ?? "")
      return false
    }
    return true
  }

  /// The account of an attachment or inline policy that its source did not place (`""`): the one account of the
  /// organization or the change with a role of the name it gives. `nil` after reporting.
  mutating func place(_ account: String, _ role: EntityReference, _ item: ChangeItem) -> String? {
    guard account.isEmpty else { return account }
    var name: String?
    switch role {
    case .identifier(let text): name = text.hasPrefix("arn:") ? String(text.split(separator: "/").last ?? "") : text
    case .resource(let address):
      if let key = byAddress[address], let split = key.firstIndex(of: "\u{0}") { return String(key[..<split]) }
    case .unknown: break
    }
    var accounts = Set(iam.filter { name != nil && $0.value.roleIndex(name!) != nil }.keys)
    for found in base?.accounts ?? [] where name != nil && found.iam?.role(named: name!) != nil { accounts.insert(found.id) }
    if accounts.count == 1, let only = accounts.first { return only }
    error(
      item,
      accounts.isEmpty
        ? "the account of this IAM resource is not known: no resource it names, no provider configuration and no account of the organization with a role `\(name ?? "(unknown)")` tells it; give it with --account ID"
        : "the account of this IAM resource is not known: accounts \(accounts.sorted().joined(separator: ", ")) all have a role `\(name ?? "")`; give it with --account ID")
    return nil
  }

  /// The name of the role a reference names in an account.
  mutating func roleName(_ reference: EntityReference, account: String, _ item: ChangeItem) -> String? {
    switch reference {
    case .identifier(let name):
      // An ARN names the role too (`role = aws_iam_role.x.arn` is not what the provider takes, but ARNs appear).
      let bare = name.hasPrefix("arn:") ? String(name.split(separator: "/").last ?? "") : name
      if iam[account]?.roleIndex(bare) != nil { return bare }
      error(item, "account \(account) has no IAM role `\(bare)` in the organization or the change")
    case .resource(let address):
      if let key = byAddress[address], key.hasPrefix(account + "\u{0}") {
        let name = String(key.dropFirst(account.count + 1))
        if iam[account]?.roleIndex(name) != nil { return name }
      }
      error(item, "`\(address)` is not an IAM role of the change in account \(account)")
    case .unknown(let what):
      leaveOpen(item, "the role (\(what)) is known only after apply", account: account)
    }
    return nil
  }

  /// The ARN of the managed policy a reference names.
  mutating func policyARN(_ reference: EntityReference, account: String, role: String, _ item: ChangeItem) -> String? {
    switch reference {
    case .identifier(let arn): return arn
    case .resource(let address):
      if let arn = byAddress[address], arn.hasPrefix("arn:") { return arn }
      error(item, "`\(address)` is not a managed policy of the change")
    case .unknown(let what):
      leaveOpen(item, "a policy attached to \(role) (\(what)) is known only after apply", account: account, role: role)
    }
    return nil
  }

  mutating func removeIAM(_ item: ChangeItem) {
    switch item.resource {
    case .iamRole(let account, let name, _, _, _, _, _):
      guard editedIAM(account, item, role: name), let index = iam[account]!.roleIndex(name) else { return }
      iam[account]!.roles[index].removed = true
    case .iamPolicy(let account, let name, let path, _):
      guard editedIAM(account, item, role: nil) else { return }
      iam[account]!.policies.removeAll { $0.path == path && $0.name.lowercased() == name.lowercased() }
    case .iamRolePolicyAttachment(let given, let roleReference, let policy):
      guard let account = place(given, roleReference, item), editedIAM(account, item, role: nil),
        let role = roleName(roleReference, account: account, item),
        let arn = policyARN(policy, account: account, role: role, item), let index = iam[account]!.roleIndex(role)
      else { return }
      iam[account]!.roles[index].attached.removeAll { $0.arn == arn }
    case .iamRolePolicy(let given, let roleReference, let name, _):
      guard let account = place(given, roleReference, item), editedIAM(account, item, role: nil), let role = roleName(roleReference, account: account, item),
        let index = iam[account]!.roleIndex(role)
      else { return }
      iam[account]!.roles[index].inline.removeAll { $0.name == name }
    default:
      break
    }
  }

  mutating func addIAM(_ item: ChangeItem) {
    switch item.resource {
    case .iamRole(let account, let name, let path, let trust, let boundary, let tags, let policies):
      guard editedIAM(account, item, role: name) else { return }
      var role =
        iam[account]!.roleIndex(name).map { iam[account]!.roles[$0] }
        ?? EditedIAM.Role(
          name: name, path: path, arn: EditedIAM.roleARN(account: account, path: path, name: name), roleId: nil,
          trustPolicy: nil, trustPolicyJSON: nil, attached: [], inline: [], boundary: nil, tags: [], origin: item)
      role.removed = false
      role.name = name
      role.path = path
      role.arn = EditedIAM.roleARN(account: account, path: path, name: name)
      switch tags {
      case .known(let tags): role.tags = tags
      case .unknown(let what):
        // Principal tags decide ABAC conditions, Allows and Denies alike.
        leaveOpen(item, "the tags of \(name) (\(what)) are known only after apply", account: account, role: name)
      }
      role.origin = item
      switch trust {
      case .known(let json):
        let parsed = json.stringValue.flatMap { try? JSONReader().read($0) } ?? json
        role.trustPolicyJSON = parsed
        role.trustPolicy = policy(json, name: "\(name) trust policy", kind: .resource, item)
      case .unknown(let what):
        role.trustPolicy = nil
        role.trustPolicyJSON = nil
        leaveOpen(item, "the trust policy of \(name) (\(what)) is known only after apply", account: account, role: name)
      }
      if let boundary {
        switch boundary {
        case .identifier(let arn): role.boundary = arn.isEmpty ? nil : .arn(arn, by: item)
        case .resource, .unknown:
          if let arn = policyARN(boundary, account: account, role: name, item) { role.boundary = .arn(arn, by: item) }
        }
      } else {
        role.boundary = nil
      }
      if let managed = policies?.managed {
        role.attached = []
        for reference in managed {
          if let arn = policyARN(reference, account: account, role: name, item) { role.attached.append((arn, item)) }
        }
      }
      if let inline = policies?.inline {
        role.inline = []
        for entry in inline {
          switch entry.document {
          case .known(let json):
            if let document = policy(json, name: "\(account):role \(name) inline \(entry.name)", kind: .identity, item) {
              role.inline.append((entry.name, document))
            }
          case .unknown(let what):
            leaveOpen(
              item, "the inline policy \(entry.name) of \(name) (\(what)) is known only after apply", account: account,
              role: name)
          }
        }
      }
      if let index = iam[account]!.roleIndex(name) {
        iam[account]!.roles[index] = role
      } else {
        iam[account]!.roles.append(role)
      }
    case .iamPolicy(let account, let name, let path, let document):
      guard editedIAM(account, item, role: nil) else { return }
      switch document {
      case .known(let json):
        guard let parsed = policy(json, name: "\(path)\(name)", kind: .identity, item) else { return }
        let arn = EditedIAM.policyARN(account: account, path: path, name: name)
        let policy = CustomerManagedPolicy(name: name, path: path, arn: arn, document: parsed)
        if let index = iam[account]!.policies.firstIndex(where: {
          $0.path == path && $0.name.lowercased() == name.lowercased()
        }) {
          iam[account]!.policies[index] = policy
        } else {
          iam[account]!.policies.append(policy)
        }
        iam[account]!.replaced[parsed.name] = parsed
      case .unknown(let what):
        // Roles that attach it and permission sets that reference it by name: every session of the account is
        // open. The policy stays (empty) so that what attaches it still resolves.
        leaveOpen(item, "the document of the policy \(path)\(name) (\(what)) is known only after apply", account: account)
        if !iam[account]!.policies.contains(where: { $0.path == path && $0.name.lowercased() == name.lowercased() }) {
          iam[account]!.policies.append(
            CustomerManagedPolicy(
              name: name, path: path, arn: EditedIAM.policyARN(account: account, path: path, name: name),
              document: PolicyDocument(name: "\(path)\(name)", kind: .identity, version: .v2012, statements: [])))
        }
      }
    case .iamRolePolicyAttachment(let given, let roleReference, let policy):
      guard let account = place(given, roleReference, item), editedIAM(account, item, role: nil),
        let role = roleName(roleReference, account: account, item),
        let arn = policyARN(policy, account: account, role: role, item), let index = iam[account]!.roleIndex(role)
      else { return }
      if !iam[account]!.roles[index].attached.contains(where: { $0.arn == arn }) {
        iam[account]!.roles[index].attached.append((arn, item))
      }
    case .iamRolePolicy(let given, let roleReference, let name, let document):
      guard let account = place(given, roleReference, item), editedIAM(account, item, role: nil), let role = roleName(roleReference, account: account, item),
        let index = iam[account]!.roleIndex(role)
      else { return }
      switch document {
      case .known(let json):
        guard let parsed = policy(json, name: "\(account):role \(role) inline \(name)", kind: .identity, item) else {
          return
        }
        iam[account]!.roles[index].inline.removeAll { $0.name == name }
        iam[account]!.roles[index].inline.append((name, parsed))
      case .unknown(let what):
        leaveOpen(
          item, "the inline policy \(name) of \(role) (\(what)) is known only after apply", account: account, role: role)
      }
    default:
      break
    }
  }

  /// Resolves every edited account's roles: attached policies by ARN (AWS managed from iamsim's copies, customer
  /// managed from the account), a replaced policy's new document in IAM users' lists. A policy that resolves
  /// nowhere is an error on the resource that attached it.
  mutating func resolveIAM() -> [String: AccountIAM] {
    var resolved: [String: AccountIAM] = [:]
    for (account, edited) in iam {
      var result = AccountIAM(roles: [], users: edited.users, policies: edited.policies)
      for index in result.users.indices {
        result.users[index].policies = result.users[index].policies.map { edited.replaced[$0.name] ?? $0 }
      }
      for role in edited.roles where !role.removed {
        var documents: [PolicyDocument] = []
        var arns: [String] = []
        for (arn, by) in role.attached {
          guard let document = managedPolicy(arn, kind: .identity, edited, role: role, by: by, account: account) else {
            continue
          }
          documents.append(document)
          arns.append(arn)
        }
        var boundary: PolicyDocument?
        switch role.boundary {
        case .arn(let arn, let by):
          boundary = managedPolicy(arn, kind: .permissionsBoundary, edited, role: role, by: by, account: account)
        case .document(let document):
          boundary = edited.replaced[document.name] ?? document
        case nil:
          break
        }
        // A trust policy known only after apply trusts nobody here; the role's scope is open (``addIAM``).
        let trust =
          role.trustPolicy ?? PolicyDocument(name: "\(role.name) trust policy", kind: .resource, version: .v2012, statements: [])
        result.roles.append(
          IAMRole(
            name: role.name, path: role.path, arn: role.arn, roleId: role.roleId, trustPolicy: trust,
            policies: documents + role.inline.map(\.document), attachedPolicyArns: arns, permissionsBoundary: boundary,
            tags: role.tags, trustPolicyJSON: role.trustPolicyJSON))
      }
      resolved[account] = result
    }
    return resolved
  }

  private mutating func managedPolicy(
    _ arn: String, kind: PolicyKind, _ edited: EditedIAM, role: EditedIAM.Role, by: ChangeItem?, account: String
  ) -> PolicyDocument? {
    let item = by ?? role.origin
    if arn.hasPrefix("arn:aws:iam::aws:policy/") {
      do throws(InputError) {
        return try managed.document(
          arn, kind: kind, file: item?.origin.file, path: item?.origin.path ?? .root, position: item?.origin.position)
      } catch {
        diagnostics += error.diagnostics
        return nil
      }
    }
    if let policy = edited.policies.first(where: { $0.arn == arn }) { return policy.document }
    let message =
      "the role \(role.name) attaches `\(arn)`, which is not a customer managed policy of account \(account) in the organization or the change"
    if let item {
      error(item, message)
    } else {
      diagnostics.append(Diagnostic(.changeUnresolved, .error, message))
    }
    return nil
  }
}
