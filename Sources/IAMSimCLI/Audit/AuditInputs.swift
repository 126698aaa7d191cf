import Foundation
import IAMAudit
import IAMEvaluation
import IAMOrganization
import IAMPolicy

/// Turns command-line inputs into audit subjects: lists of policies, permission sets, organization directories.
///
/// Policies, permission sets and organizations are read with the loaders `eval` uses.
struct AuditInputs {
  var loader: PolicyLoader
  /// The Identity Center user whose session name the callers of permission sets get.
  var user = "alice@example.com"

  init(environment: [String: String], searchRoots: [String]) {
    loader = PolicyLoader(environment: environment, searchRoots: searchRoots)
  }

  /// The policies the flags `--policy`, `--boundary`, `--session-policy`, `--scp`, `--rcp` and
  /// `--management-account` give.
  mutating func policySet(_ parsed: ParsedArguments, command: String) throws -> PolicySet {
    var policies = PolicySet()
    policies.identityPolicies = try parsed.all("--policy").map { try loader.load($0, kind: .identity) }
    policies.permissionsBoundary = try parsed.single("--boundary", command: command).map {
      try loader.load($0, kind: .permissionsBoundary)
    }
    policies.sessionPolicy = try parsed.single("--session-policy", command: command).map {
      try loader.load($0, kind: .session)
    }
    policies.serviceControlPolicies = try parsed.all("--scp").map {
      try AuditInputs.level($0).map { try loader.load($0, kind: .serviceControl) }
    }
    policies.resourceControlPolicies = try parsed.all("--rcp").map {
      try AuditInputs.level($0).map { try loader.load($0, kind: .resourceControl) }
    }
    policies.principalAccountIsManagement = parsed.has("--management-account")
    return policies
  }

  /// A subject of plain policies, named after them unless a name is given.
  static func policySubject(_ policies: PolicySet, name: String?) -> AuditSubject {
    let label = name ?? policies.identityPolicies.map { shortName($0.name) }.joined(separator: " + ")
    return AuditSubject(name: label.isEmpty ? "policies" : label, policies: policies)
  }

  /// The subjects of permission sets given by name, file or folder of files, resolved in `account`, with
  /// `extra` policies added (extra identity policies, and the SCP and RCP levels).
  mutating func permissionSetSubjects(_ references: [String], account: String, extra: PolicySet, command: String) throws
    -> [AuditSubject]
  {
    var subjects: [AuditSubject] = []
    for reference in references {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: reference, isDirectory: &isDirectory), isDirectory.boolValue {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: reference)) ?? []).filter {
          $0.hasSuffix(".json")
        }.sorted()
        guard !files.isEmpty else {
          throw UsageError("`\(reference)` holds no permission-set files (*.json)", command: command)
        }
        for file in files {
          subjects.append(
            try permissionSetSubject(reference + "/" + file, account: account, extra: extra, command: command))
        }
      } else {
        subjects.append(try permissionSetSubject(reference, account: account, extra: extra, command: command))
      }
    }
    return subjects
  }

  /// One permission set resolved in an account, as `eval --permission-set` resolves it.
  mutating func permissionSetSubject(_ reference: String, account: String, extra: PolicySet, command: String) throws
    -> AuditSubject
  {
    let (permissionSet, folder) = try PermissionSetLoader.load(reference, loader: &loader)
    var provider = WorkspacePolicyProvider(loader: loader, folders: [folder, FileManager.default.currentDirectoryPath])
    let resolved = try permissionSet.resolve(inAccount: account, provider: &provider)
    loader = provider.loader
    var policies = extra
    policies.identityPolicies = resolved.identityPolicies + extra.identityPolicies
    if let boundary = resolved.permissionsBoundary {
      guard extra.permissionsBoundary == nil else {
        throw UsageError(
          "the permission set `\(permissionSet.name)` sets the permissions boundary; drop --boundary", command: command)
      }
      policies.permissionsBoundary = boundary
    }
    let session = IdentityCenterSession(permissionSetName: permissionSet.name, account: account, userName: user)
    guard let principal = session.principal else {
      throw UsageError("cannot make a session for `\(user)` in account \(account)", command: command)
    }
    return AuditSubject(
      name: permissionSet.name, permissionSet: permissionSet.name, account: account, principal: principal,
      policies: policies)
  }

  /// Every permission set of an organization directory in every account it is assigned in, as the session of the
  /// first user (by user name) it reaches, with the account's SCP levels and RCP levels; optionally only one
  /// permission set or one account. Accounts whose sessions of a permission set have the same policies
  /// (``Organization/policyKey(permissionSet:account:resourceOwner:controlPath:)``) and whose policies read nothing
  /// that differs between those sessions (nothing of the caller, or only principal tags with the same values) are
  /// audited once, as one subject that lists them all (`accounts`). Pairs that no
  /// user reaches grant nothing and are left out; pairs that cannot be evaluated are left out with a note.
  mutating func organizationSubjects(_ directory: String, permissionSet only: String?, account onlyAccount: String?,
                                     err: (String) -> Void) throws -> [AuditSubject] {
    Self.organizationSubjects(try OrganizationCommand.load(directory, err: err), permissionSet: only, account: onlyAccount, err: err)
  }

  /// The subjects of a loaded organization, as ``organizationSubjects(_:permissionSet:account:err:)`` gives them.
  static func organizationSubjects(_ organization: Organization, permissionSet only: String?, account onlyAccount: String?,
                                   err: (String) -> Void) -> [AuditSubject] {
    // Each (permission set, account) pair's first user by user name, and pairs in the order of `callers`: by that
    // user, then by the first assignment that gives it to them.
    var first: [String: (user: String, position: Int)] = [:]
    var firstMember: [String: String?] = [:]
    for (position, assignment) in organization.assignments.enumerated() {
      if let only, only.lowercased() != assignment.permissionSet.lowercased() { continue }
      if let onlyAccount, onlyAccount != assignment.account { continue }
      let principal = assignment.principalType.rawValue + assignment.principal
      if firstMember[principal] == nil {
        switch assignment.principalType {
        case .user:
          firstMember[principal] = organization.identityStore.user(named: assignment.principal)?.userName
        case .group:
          firstMember[principal] = organization.identityStore.group(named: assignment.principal)?.memberIDs.compactMap {
            organization.identityStore.user(id: $0)?.userName
          }.min()
        }
      }
      guard let user = firstMember[principal]! else { continue }
      let key = assignment.permissionSet + "\u{0}" + assignment.account
      if let known = first[key], (known.user, known.position) < (user, position) { continue }
      first[key] = (user, position)
    }
    var subjects: [AuditSubject] = []
    var shared: [String: Int] = [:]
    // Keys whose policies name a concrete account in a Resource: what they grant depends on the account, so each
    // account is its own subject.
    var perAccount: Set<String> = []
    for (pair, (user, position)) in first.sorted(by: { ($0.value.user, $0.value.position) < ($1.value.user, $1.value.position) }) {
      let (name, account) = (String(pair.split(separator: "\u{0}")[0]), organization.assignments[position].account)
      guard let permissionSet = organization.permissionSet(named: name) else { continue }
      let base = organization.policyKey(permissionSet: permissionSet, account: account, resourceOwner: account)
      let key = perAccount.contains(base) ? base + "\u{0}" + account : base
      if let index = shared[key] {
        subjects[index].accounts.append(account)
        continue
      }
      let session: OrganizationSession
      do {
        session = try organization.session(for: .identityCenter(user: user, permissionSet: permissionSet.name, account: account))
      } catch {
        err("note: \(name) in \(account) is not audited: \(error.message)\n")
        continue
      }
      let policies = organization.policySet(for: session, resource: "*", resourceAccount: account)
      let namesAccounts = CallerDependence.namesAccounts(policies)
      if namesAccounts { perAccount.insert(base) }
      // The same policies that read nothing of the caller, or only principal tags with the same values: the same audit.
      if let shareKey = CallerDependence(policies).auditKey(base, namesAccounts: namesAccounts, account: account, tags: {
        session.principal.tags
      }) {
        if let index = shared[shareKey] {
          subjects[index].accounts.append(account)
          continue
        }
        shared[shareKey] = subjects.count
      }
      subjects.append(AuditSubject(
        name: "\(permissionSet.name)@\(account)", permissionSet: permissionSet.name, account: account, principal: session.principal,
        policies: policies, accounts: [account]))
    }
    for offset in subjects.indices { subjects[offset].holders = subjects[offset].holders(in: organization) }
    return subjects
  }

  /// The resource policies of `--resource-policy` and the account of `--resource-account`, whose zone of trust
  /// (``zoneOfTrust(account:organization:err:)``) they are checked against. `nil` without `--resource-policy`.
  static func externalAccessInputs(_ parsed: ParsedArguments, environment: [String: String]) throws
    -> (policies: [PolicyDocument], account: String)?
  {
    let references = parsed.all("--resource-policy")
    let account = try parsed.single("--resource-account", command: "audit")
    guard !references.isEmpty else {
      if account != nil { throw UsageError("--resource-account goes with --resource-policy", command: "audit") }
      return nil
    }
    guard let account else {
      throw UsageError(
        "give --resource-account ID: the account that owns the resources of --resource-policy", command: "audit")
    }
    guard account.count == 12, account.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      throw UsageError("--resource-account must be a 12-digit account ID", command: "audit")
    }
    var loader = PolicyLoader(
      environment: environment,
      searchRoots: [FileManager.default.currentDirectoryPath, EvalCommand.executableDirectory])
    return (try references.map { try loader.load($0, kind: .resource) }, account)
  }

  /// The zone of trust of a resource account: the account, and with an organization that holds it, the
  /// organization's ID and accounts ("Any principal in the organization or account that you choose for the analyzer
  /// is considered trusted.").
  static func zoneOfTrust(account: String, organization: Organization?, err: (String) -> Void) -> ZoneOfTrust {
    guard let organization else { return ZoneOfTrust(account: account) }
    let accounts = organization.accounts.map(\.id)
    guard accounts.contains(account) else {
      err(
        "note: --resource-account \(account) is not an account of the organization; the zone of trust is that "
          + "account alone\n")
      return ZoneOfTrust(account: account)
    }
    return ZoneOfTrust(account: account, organizationID: organization.id, accounts: accounts)
  }

  /// Whether the flags name nothing to audit but resource policies (no --policy, --permission-set or --org); flags
  /// that describe a caller are then bad usage rather than silently ignored.
  static func onlyExternalAccess(_ parsed: ParsedArguments) throws -> Bool {
    guard parsed.all("--policy").isEmpty, parsed.all("--permission-set").isEmpty, parsed.all("--org").isEmpty else {
      return false
    }
    let callerFlags = ["--boundary", "--session-policy", "--scp", "--rcp", "--name", "--account", "--user", "--region"]
    let given = callerFlags.first { !parsed.all($0).isEmpty }
    if let flag = given ?? (parsed.has("--management-account") ? "--management-account" : nil) {
      throw UsageError(
        "`\(flag)` goes with --policy, --permission-set or --org, not --resource-policy alone", command: "audit")
    }
    return true
  }

  /// `DatabaseAdministrator` for `arn:aws:iam::aws:policy/job-function/DatabaseAdministrator` or `dir/DatabaseAdministrator.json`.
  static func shortName(_ name: String) -> String {
    var last = name.split(separator: "/").last.map(String.init) ?? name
    if last.hasSuffix(".json") { last.removeLast(5) }
    return last
  }

  /// The policies of one organization level: split at commas unless the value is inline JSON.
  static func level(_ value: String) -> [String] {
    value.hasPrefix("{") ? [value] : value.split(separator: ",").map(String.init)
  }

  /// Today's date in UTC, `YYYY-MM-DD`.
  static var today: String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    let parts = calendar.dateComponents([.year, .month, .day], from: Date())
    return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
  }
}
