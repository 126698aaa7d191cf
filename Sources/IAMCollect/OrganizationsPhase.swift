import IAMPolicy

/// An account as `ListAccounts` gives it.
struct ListedAccount: Sendable, Hashable {
  var id: String
  /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`… (`State`, or the older `Status`).
  var state: String?

  var isActive: Bool { state == nil || state == "ACTIVE" }
}

/// What the rest of the collection needs from AWS Organizations' first answers.
struct OrganizationBasics: Sendable {
  var rootIDs: [String]
  /// The control policy types `collect` reads that are enabled on the root.
  var enabledTypes: [String]
  var accounts: [ListedAccount]
}

/// AWS Organizations, as `Documentation/ImportRecipe.md` exports it: the organization, the root, every account,
/// the tree level by level, the SCPs and RCPs with their targets, Identity Center's delegated administrators.
extension CollectRun {
  func organizationBasics() async throws(CollectError) -> OrganizationBasics {
    let organization = try await fetch(Operations.describeOrganization)
    let roots = try await fetch(Operations.listRoots)
    let accounts = try await fetch(Operations.listAccounts)
    await store.save(organization.merged, as: "describe-organization.json")
    await store.save(roots.merged, as: "list-roots.json")
    await store.save(accounts.merged, as: "list-accounts.json")
    let types = (roots.list("Roots").first?["PolicyTypes"]?.elements ?? []).compactMap { type -> String? in
      guard type["Status"]?.stringValue == "ENABLED", let name = type["Type"]?.stringValue,
        ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"].contains(name) else { return nil }
      return name
    }
    return OrganizationBasics(
      rootIDs: roots.list("Roots").compactMap { $0["Id"]?.stringValue }, enabledTypes: types,
      accounts: accounts.list("Accounts").compactMap { account in
        account["Id"]?.stringValue.map { ListedAccount(id: $0, state: account["State"]?.stringValue ?? account["Status"]?.stringValue) }
      })
  }

  /// The OUs and the accounts directly in `parent`, then the same under each of its OUs.
  func tree(under parent: String) async throws(CollectError) {
    let input: [(String, JSONOutput)] = [("ParentId", .string(parent))]
    let units = try await fetch(Operations.listOrganizationalUnitsForParent, input)
    let accounts = try await fetch(Operations.listAccountsForParent, input)
    await store.save(units.merged, as: "list-organizational-units-for-parent.\(parent).json")
    await store.save(accounts.merged, as: "list-accounts-for-parent.\(parent).json")
    try await each(units.list("OrganizationalUnits").compactMap { $0["Id"]?.stringValue }) { (unit: String) throws(CollectError) in
      try await self.tree(under: unit)
    }
  }

  /// Each policy of the enabled control policy types: the list, each document, each policy's targets.
  func controlPolicies(_ types: [String]) async throws(CollectError) {
    try await each(types) { (type: String) throws(CollectError) in
      let policies = try await self.fetch(Operations.listPolicies, [("Filter", .string(type))])
      await self.store.save(policies.merged, as: "list-policies.\(type).json")
      try await self.each(policies.list("Policies").compactMap { $0["Id"]?.stringValue }) { (id: String) throws(CollectError) in
        let input: [(String, JSONOutput)] = [("PolicyId", .string(id))]
        let document = try await self.fetch(Operations.describePolicy, input)
        let targets = try await self.fetch(Operations.listTargetsForPolicy, input)
        await self.store.save(document.merged, as: "describe-policy.\(id).json")
        await self.store.save(targets.merged, as: "list-targets-for-policy.\(id).json")
      }
    }
  }

  /// The accounts registered as Identity Center's delegated administrators.
  func delegatedAdministrators() async throws(CollectError) {
    let principal = "sso.amazonaws.com"
    let list = try await fetch(Operations.listDelegatedAdministrators, [("ServicePrincipal", .string(principal))])
    await store.save(list.merged, as: "list-delegated-administrators.\(principal).json")
  }
}
