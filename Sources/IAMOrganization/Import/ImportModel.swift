/// Everything the exports say, merged: pages joined, entities by ID.
struct ImportModel {
  // Organizations
  var organization: OrganizationSummary?
  var root: RootSummary?
  /// OUs by parent, from `list-organizational-units-for-parent`.
  var children: [String: [NamedID]] = [:]
  /// Accounts by parent, from `list-accounts-for-parent`.
  var placed: [String: [AccountSummary]] = [:]
  /// Every account an Organizations output names, with its name and e-mail.
  var accounts: [String: AccountSummary] = [:]
  var listedAllAccounts = false
  var policies: [String: ControlPolicySummary] = [:]
  /// The policy types `list-policies` was run for.
  var listedTypes: Set<String> = []
  var documents: [String: JSONOutput] = [:]
  var targets: [String: [PolicyTarget]] = [:]
  /// Policies attached to a target, by target and type, from `list-policies-for-target`.
  var attachedByTarget: [String: [String: [String]]] = [:]
  var delegated: [String: [String]] = [:]

  // Identity Center
  var instances: [SSOInstance] = []
  var instanceRegion: String?
  var listedPermissionSets: [String]?
  /// Permission-set ARNs by ID.
  var permissionSetArns: [String: String] = [:]
  var described: [String: DescribedPermissionSet] = [:]
  var managedPolicies: [String: [String]] = [:]
  var customerReferences: [String: [JSONOutput]] = [:]
  var inlinePolicies: [String: JSONOutput?] = [:]
  var boundaries: [String: JSONOutput?] = [:]
  var assignments: [AssignmentEntry] = []
  /// `ACCOUNT.PS-ID` pairs that `list-account-assignments` was run for.
  var pairCoverage: Set<String> = []
  /// Principals that `list-account-assignments-for-principal` was run for.
  var principalCoverage: Set<String> = []
  var provisioned: [String: [String]] = [:]
  var accessControlRead = false
  var accessControl: JSONOutput?

  // Identity store
  var users: [String: IdentityEntry]?
  var groups: [String: IdentityEntry]?
  var memberships: [Membership] = []
  var membershipCoverage: Set<String> = []

  // IAM
  var authorizationPages: [String: [(file: String, page: AuthorizationPage)]] = [:]

  // Account access manager
  var applications: [String]?
  var applicationArn: String?
  var grants: [GrantEntry] = []
  /// Accounts that `list-entitlements` was run for (with `--filter` on the account).
  var grantCoverage: Set<String> = []
  var accountAccessFile: (applicationArn: String?, grants: [JSONOutput])?

  init(_ records: [ExportRecord]) {
    var seenAssignments: Set<AssignmentEntry> = []
    var seenMemberships: Set<String> = []
    var seenGrants: Set<GrantEntry> = []
    for record in records {
      switch record.payload {
      case .authorizationDetails(let page):
        authorizationPages[page.account, default: []].append((record.file, page))
      case .instances(let list, let region):
        for instance in list where !instances.contains(instance) { instances.append(instance) }
        if let region { instanceRegion = region }
      case .permissionSetArns(let arns):
        listedPermissionSets = (listedPermissionSets ?? []) + arns.filter { !(listedPermissionSets ?? []).contains($0) }
        for arn in arns { permissionSetArns[AWSIdentifier.permissionSetID(ofArn: arn)!] = arn }
      case .permissionSet(let set):
        described[set.id] = set
        permissionSetArns[set.id] = set.arn
      case .managedPolicies(let id, let arns): managedPolicies[id, default: []] += arns
      case .customerManagedReferences(let id, let references): customerReferences[id, default: []] += references
      case .inlinePolicy(let id, let document): inlinePolicies.updateValue(document, forKey: id)
      case .permissionsBoundary(let id, let boundary): boundaries.updateValue(boundary, forKey: id)
      case .accountAssignments(let list):
        if let account = list.account, let set = list.permissionSet { pairCoverage.insert("\(account).\(set)") }
        if let principal = list.principal { principalCoverage.insert(principal) }
        for entry in list.entries where seenAssignments.insert(entry).inserted {
          assignments.append(entry)
          permissionSetArns[AWSIdentifier.permissionSetID(ofArn: entry.permissionSetArn)!] = entry.permissionSetArn
        }
      case .provisionedAccounts(let id, let accounts): provisioned[id, default: []] += accounts
      case .accessControl(let configuration):
        accessControlRead = true
        accessControl = configuration
      case .users(let list):
        var byID = users ?? [:]
        for user in list { byID[user.id] = user }
        users = byID
      case .groups(let list):
        var byID = groups ?? [:]
        for group in list { byID[group.id] = group }
        groups = byID
      case .memberships(let group, let list):
        if let group { membershipCoverage.insert(group) }
        for membership in list where seenMemberships.insert(membership.group + "\u{0}" + membership.user).inserted {
          memberships.append(membership)
        }
      case .organization(let summary): organization = summary
      case .roots(let roots): root = roots.first
      case .organizationalUnits(let parent, let units): children[parent, default: []] += units
      case .accounts(let parent, let list):
        if let parent { placed[parent, default: []] += list } else { listedAllAccounts = true }
        for account in list {
          let known = accounts[account.id]
          accounts[account.id] = AccountSummary(id: account.id, name: account.name ?? known?.name, email: account.email ?? known?.email)
        }
      case .policySummaries(let list):
        for policy in list.policies where policies[policy.id]?.type == nil { policies[policy.id] = policy }
        if let target = list.target {
          for type in list.types {
            attachedByTarget[target, default: [:]][type, default: []] += list.policies.filter { $0.type == nil || $0.type == type }.map(\.id)
          }
        } else {
          listedTypes.formUnion(list.types)
        }
      case .policy(let summary, let document):
        policies[summary.id] = summary
        documents[summary.id] = document
      case .targets(let policy, let list): targets[policy, default: []] += list
      case .delegatedAdministrators(let service, let accounts): delegated[service, default: []] += accounts
      case .applications(let arns): applications = (applications ?? []) + arns
      case .entitlements(let account, let list, let arn):
        if let account, record.command == .listEntitlements { grantCoverage.insert(account) }
        if let arn { applicationArn = arn }
        for grant in list where seenGrants.insert(grant).inserted { grants.append(grant) }
      case .accountAccessFile(let arn, let list): accountAccessFile = (arn, list)
      }
    }
  }

  // MARK: - Derived

  /// The Identity Center instance: the one the permission sets belong to, else the only one listed.
  var instance: SSOInstance? {
    let fromSets = Set(permissionSetArns.values.compactMap(AWSIdentifier.instanceArn(ofPermissionSetArn:)))
    if let arn = fromSets.first, fromSets.count == 1 {
      return instances.first { $0.arn == arn } ?? SSOInstance(arn: arn, identityStoreId: nil, ownerAccount: nil)
    }
    return instances.count == 1 ? instances[0] : nil
  }

  var identityStoreId: String? {
    if let id = instance?.identityStoreId { return id }
    let entries = (users ?? [:]).values.map(\.json) + (groups ?? [:]).values.map(\.json)
    return entries.lazy.compactMap { $0["IdentityStoreId"]?.stringValue }.first
  }

  /// The permission-set IDs known from any output, sorted.
  var permissionSetIDs: [String] { permissionSetArns.keys.sorted() }

  /// The account access manager application.
  var accessApplication: String? {
    applicationArn ?? ((applications?.count ?? 0) == 1 ? applications?.first : nil) ?? accountAccessFile?.applicationArn
  }

  /// The user name or group display name of a principal ID, when the identity store outputs have it.
  func principalName(_ type: String, _ id: String) -> String? {
    type == "USER" ? users?[id]?.name : groups?[id]?.name
  }
}
