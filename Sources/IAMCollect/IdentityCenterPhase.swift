import IAMPolicy

/// The Identity Center instance the organization signs in through.
struct CenterInstance: Sendable {
  var arn: String
  var identityStoreId: String
}

/// IAM Identity Center and its identity store, as `Documentation/ImportRecipe.md` exports them.
extension CollectRun {
  /// The instance in ``CollectOptions/region``.
  ///
  /// - Throws: when the region has none: the organization's instance is elsewhere.
  func instance() async throws(CollectError) -> CenterInstance {
    let region = options.region
    let list = try await fetch(Operations.listInstances)
    await store.save(list.merged, as: "list-instances.\(region).json")
    let instances = list.list("Instances")
    guard let first = instances.first, let arn = first["InstanceArn"]?.stringValue, let store = first["IdentityStoreId"]?.stringValue else {
      throw CollectError(
        "IAM Identity Center has no instance in \(region) (sso-admin ListInstances listed none): give --region the region of the organization's Identity Center instance")
    }
    if instances.count > 1 {
      await self.store.skip("\(instances.count - 1) other Identity Center instance(s) in \(region)",
                            because: "an organization signs in through one instance; collect reads the first ListInstances gives, \(arn)")
    }
    return CenterInstance(arn: arn, identityStoreId: store)
  }

  /// Every permission set: its description, policies and boundary, the accounts it is provisioned to, and the
  /// assignments in each of those accounts (not in every account: AWS keeps the provisioned ones).
  func permissionSets(_ instance: CenterInstance) async throws(CollectError) {
    let list = try await fetch(Operations.listPermissionSets, [("InstanceArn", .string(instance.arn))])
    await store.save(list.merged, as: "list-permission-sets.json")
    let arns = list.list("PermissionSets").compactMap(\.stringValue)
    try await each(arns) { (arn: String) throws(CollectError) in
      try await self.permissionSet(arn, instance: instance)
    }
  }

  private func permissionSet(_ arn: String, instance: CenterInstance) async throws(CollectError) {
    let id = arn.split(separator: "/").last.map(String.init) ?? arn
    let input: [(String, JSONOutput)] = [("InstanceArn", .string(instance.arn)), ("PermissionSetArn", .string(arn))]
    let described = try await fetch(Operations.describePermissionSet, input)
    await store.save(described.merged, as: "describe-permission-set.\(id).json")
    for operation in [Operations.listManagedPolicies, Operations.listCustomerManagedReferences] {
      await store.save(try await fetch(operation, input).merged, as: "\(operation.command).\(id).json")
    }
    for operation in [Operations.getInlinePolicy, Operations.getPermissionsBoundary] {
      let output = try await fetchIfFound(operation, input)?.merged ?? .object([])
      await store.save(output, as: "\(operation.command).\(id).json")
    }
    let provisioned = try await fetch(Operations.listAccountsForProvisionedPermissionSet, input)
    await store.save(provisioned.merged, as: "list-accounts-for-provisioned-permission-set.\(id).json")
    let accounts = provisioned.list("AccountIds").compactMap(\.stringValue)
    try await each(accounts) { (account: String) throws(CollectError) in
      let assignments = try await self.fetch(Operations.listAccountAssignments, input + [("AccountId", .string(account))])
      await self.store.save(assignments.merged, as: "list-account-assignments.\(account).\(id).json")
    }
  }

  /// The attributes for access control; `{}` when ABAC is off.
  func accessControlAttributes(_ instance: CenterInstance) async throws(CollectError) {
    let configuration = try await fetchIfFound(Operations.describeAccessControlAttributes, [("InstanceArn", .string(instance.arn))])
    await store.save(configuration?.merged ?? .object([]), as: "describe-instance-access-control-attribute-configuration.json")
  }

  /// Users (with the enterprise extension's attributes, which ABAC reads), groups, and each group's members.
  func identityStore(_ instance: CenterInstance) async throws(CollectError) {
    let storeID: [(String, JSONOutput)] = [("IdentityStoreId", .string(instance.identityStoreId))]
    let users = try await fetch(Operations.listUsers, storeID + [("Extensions", .array(["aws:identitystore:enterprise"]))])
    let groups = try await fetch(Operations.listGroups, storeID)
    await store.save(users.merged, as: "list-users.json")
    await store.save(groups.merged, as: "list-groups.json")
    try await each(groups.list("Groups").compactMap { $0["GroupId"]?.stringValue }) { (group: String) throws(CollectError) in
      let members = try await self.fetch(Operations.listGroupMemberships, storeID + [("GroupId", .string(group))])
      await self.store.save(members.merged, as: "list-group-memberships.\(group).json")
    }
  }
}
