/// What the exports do not cover, as the AWS CLI commands that export it, with the file names import expects.
///
/// Values the exports do not give appear as the shell variables the recipe (`Documentation/ImportRecipe.md`)
/// sets: `$REGION`, `$INSTANCE_ARN`, `$IDENTITY_STORE_ID`, `$APPLICATION_ARN`.
struct MissingParts {
  let model: ImportModel
  let tree: OrganizationFileBuilder
  /// Identity Center's region, if known.
  let region: String?
  /// Accounts whose IAM the directory holds.
  let collected: Set<String>
  /// Accounts whose authorization details lack their last page.
  let truncated: Set<String>
  /// Whether the directory added to has `account-access.json` that no export replaces.
  let keepsAccountAccess: Bool
  private(set) var parts: [MissingPart] = []

  init(model: ImportModel, tree: OrganizationFileBuilder, region: String?, collected: Set<String>, truncated: Set<String>,
       keepsAccountAccess: Bool) {
    self.model = model
    self.tree = tree
    self.region = region
    self.collected = collected
    self.truncated = truncated
    self.keepsAccountAccess = keepsAccountAccess
    organizations()
    identityCenter()
    identityStore()
    iam()
    accountAccess()
  }

  private mutating func add(_ what: String, _ command: String, _ file: String) {
    parts.append(MissingPart(what: what, command: "\(command) > \(file)", file: file))
  }

  private var regionFlag: String { " --region " + (region ?? "\"$REGION\"") }
  private var instanceFlag: String { " --instance-arn " + (model.instance?.arn ?? "\"$INSTANCE_ARN\"") }
  private var storeFlag: String { " --identity-store-id " + (model.identityStoreId ?? "\"$IDENTITY_STORE_ID\"") }

  /// The root and every OU the exports reach, root first.
  private var nodes: [String] {
    guard let root = tree.rootID else { return [] }
    var result: [String] = []
    var queue = [root]
    while let node = queue.first {
      queue.removeFirst()
      guard !result.contains(node) else { continue }
      result.append(node)
      queue += (model.children[node] ?? []).map(\.id).sorted()
    }
    return result
  }

  /// Every account of the tree that will be written.
  private var accounts: [String] { tree.allAccounts.union(tree.patchedAccounts.keys).sorted() }

  // MARK: - Organizations

  private mutating func organizations() {
    if model.organization == nil {
      add("no describe-organization (the organization's ID and management account)", "aws organizations describe-organization",
          "describe-organization.json")
    }
    if model.root == nil {
      add("no list-roots (the root, and which control policy types are enabled)", "aws organizations list-roots", "list-roots.json")
    }
    for node in nodes {
      if model.children[node] == nil {
        add("no list-organizational-units-for-parent for \(node) (the OUs under it)",
            "aws organizations list-organizational-units-for-parent --parent-id \(node)", "list-organizational-units-for-parent.\(node).json")
      }
      if model.placed[node] == nil {
        add("no list-accounts-for-parent for \(node) (the accounts directly in it)",
            "aws organizations list-accounts-for-parent --parent-id \(node)", "list-accounts-for-parent.\(node).json")
      }
    }
    guard model.root != nil else { return }
    let targets = nodes + accounts
    for type in tree.enabledTypes {
      let byTarget = targets.contains { model.attachedByTarget[$0]?[type] != nil }
      if !model.listedTypes.contains(type), !targets.allSatisfy({ model.attachedByTarget[$0]?[type] != nil }) {
        add("no list-policies --filter \(type) (the \(type == "SERVICE_CONTROL_POLICY" ? "SCPs" : "RCPs") of the organization)",
            "aws organizations list-policies --filter \(type)", "list-policies.\(type).json")
      }
      let policies = model.policies.values.filter { $0.type == type }.sorted { $0.id < $1.id }
      for policy in policies where model.documents[policy.id] == nil && OrganizationFileBuilder.fullAccess[type] != policy.id {
        add("no describe-policy for \(policy.id)\(policy.name.map { " (\($0))" } ?? "") (its document)",
            "aws organizations describe-policy --policy-id \(policy.id)", "describe-policy.\(policy.id).json")
      }
      if byTarget {
        for target in targets where model.attachedByTarget[target]?[type] == nil {
          add("no list-policies-for-target for \(target) and \(type) (what is attached to it)",
              "aws organizations list-policies-for-target --target-id \(target) --filter \(type)",
              "list-policies-for-target.\(target).\(type).json")
        }
      } else {
        for policy in policies where model.targets[policy.id] == nil {
          add("no list-targets-for-policy for \(policy.id)\(policy.name.map { " (\($0))" } ?? "") (where it is attached)",
              "aws organizations list-targets-for-policy --policy-id \(policy.id)", "list-targets-for-policy.\(policy.id).json")
        }
      }
    }
    if model.delegated["sso.amazonaws.com"] == nil {
      add("no list-delegated-administrators for sso.amazonaws.com (who administers Identity Center besides the management account)",
          "aws organizations list-delegated-administrators --service-principal sso.amazonaws.com",
          "list-delegated-administrators.sso.amazonaws.com.json")
    }
  }

  // MARK: - Identity Center

  private mutating func identityCenter() {
    if model.instances.isEmpty || region == nil {
      let file = "list-instances.\(region ?? "$REGION").json"
      add(model.instances.isEmpty ? "no list-instances (the Identity Center instance and its identity store)"
            : "Identity Center's region is unknown (no `AWSReservedSSO_` role path gives it): name the list-instances output after it",
          "aws sso-admin list-instances" + regionFlag, file)
    }
    if model.listedPermissionSets == nil {
      add("no list-permission-sets", "aws sso-admin list-permission-sets" + instanceFlag + regionFlag, "list-permission-sets.json")
    }
    for id in model.permissionSetIDs {
      let arn = model.permissionSetArns[id]!
      let flags = instanceFlag + " --permission-set-arn \(arn)" + regionFlag
      let name = model.described[id].map { " (\($0.name))" } ?? ""
      if model.described[id] == nil {
        add("no describe-permission-set for \(id) (its name and settings)", "aws sso-admin describe-permission-set" + flags,
            "describe-permission-set.\(id).json")
      }
      let parts: [(ExportCommand, Bool, String)] = [
        (.listManagedPolicies, model.managedPolicies[id] != nil, "its AWS managed policies"),
        (.listCustomerManagedReferences, model.customerReferences[id] != nil, "its customer managed policy references"),
        (.getInlinePolicy, model.inlinePolicies.keys.contains(id), "its inline policy"),
        (.getPermissionsBoundary, model.boundaries.keys.contains(id), "its permissions boundary; when it has none the command fails: write `{}`"),
      ]
      for (command, known, what) in parts where !known {
        add("no \(command.rawValue) for \(id)\(name) (\(what))", "aws sso-admin \(command.rawValue)" + flags, "\(command.rawValue).\(id).json")
      }
    }
    assignments()
    if !model.accessControlRead {
      add("no describe-instance-access-control-attribute-configuration (the attributes for access control; when ABAC is off the command fails: write `{}`)",
          "aws sso-admin describe-instance-access-control-attribute-configuration" + instanceFlag + regionFlag,
          "describe-instance-access-control-attribute-configuration.json")
    }
  }

  private mutating func assignments() {
    if !model.principalCoverage.isEmpty {
      let principals = (model.users ?? [:]).values.map { ("USER", $0) } + (model.groups ?? [:]).values.map { ("GROUP", $0) }
      for (type, entry) in principals.sorted(by: { ($0.0, $0.1.name) < ($1.0, $1.1.name) }) where !model.principalCoverage.contains(entry.id) {
        add("no list-account-assignments-for-principal for \(type.lowercased()) \(entry.name) (\(entry.id))",
            "aws sso-admin list-account-assignments-for-principal" + instanceFlag + " --principal-id \(entry.id) --principal-type \(type)" + regionFlag,
            "list-account-assignments-for-principal.\(entry.id).json")
      }
      return
    }
    for id in model.permissionSetIDs {
      let arn = model.permissionSetArns[id]!
      let covered = model.pairCoverage.filter { $0.hasSuffix("." + id) }
      let candidates: [String]
      if let provisioned = model.provisioned[id] {
        candidates = Array(Set(provisioned)).sorted()
      } else if covered.isEmpty {
        add("no list-accounts-for-provisioned-permission-set for \(id) (the accounts it is provisioned to, whose assignments to list next)",
            "aws sso-admin list-accounts-for-provisioned-permission-set" + instanceFlag + " --permission-set-arn \(arn)" + regionFlag,
            "list-accounts-for-provisioned-permission-set.\(id).json")
        continue
      } else {
        candidates = accounts
      }
      for account in candidates where !model.pairCoverage.contains("\(account).\(id)") {
        add("no list-account-assignments for account \(account) and permission set \(id)",
            "aws sso-admin list-account-assignments" + instanceFlag + " --account-id \(account) --permission-set-arn \(arn)" + regionFlag,
            "list-account-assignments.\(account).\(id).json")
      }
    }
  }

  // MARK: - Identity store, IAM, account access

  private mutating func identityStore() {
    if model.users == nil { add("no list-users (the identity store's users)", "aws identitystore list-users" + storeFlag + regionFlag, "list-users.json") }
    if model.groups == nil {
      add("no list-groups (the identity store's groups)", "aws identitystore list-groups" + storeFlag + regionFlag, "list-groups.json")
    }
    for group in (model.groups ?? [:]).values.sorted(by: { $0.name < $1.name }) where !model.membershipCoverage.contains(group.id) {
      add("no list-group-memberships for group \(group.name) (\(group.id))",
          "aws identitystore list-group-memberships" + storeFlag + " --group-id \(group.id)" + regionFlag,
          "list-group-memberships.\(group.id).json")
    }
  }

  private mutating func iam() {
    let patched = tree.patchedAccounts
    for account in accounts where !collected.contains(account) && patched[account] != false || truncated.contains(account) {
      let what = truncated.contains(account)
        ? "the authorization details of account \(account) lack their last page (every page given says more follow): export them whole"
        : "no get-account-authorization-details for account \(account) (its roles, users and customer managed policies; run with credentials of that account)"
      add(what, "aws iam get-account-authorization-details", "get-account-authorization-details.\(account).json")
    }
  }

  private mutating func accountAccess() {
    guard model.accountAccessFile == nil, !keepsAccountAccess else { return }
    if model.applications == nil && model.applicationArn == nil {
      add("no account access manager list-applications (an empty list when it is not used)", "aws account-access list-applications" + regionFlag,
          "list-applications.json")
      return
    }
    guard let application = model.accessApplication else { return }
    for account in accounts where !model.grantCoverage.contains(account) {
      add("no account access manager list-entitlements for account \(account)",
          "aws account-access list-entitlements --application-arn \(application) --filter '{\"principalRole\":{\"account\":\"\(account)\"}}'" + regionFlag,
          "list-entitlements.\(account).json")
    }
  }
}
