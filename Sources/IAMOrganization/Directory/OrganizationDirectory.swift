import Foundation

/// Reads an organization directory (format version 1, `Documentation/OrganizationFormat.md`), strictly.
public enum OrganizationDirectory {
  /// The format version this iamsim reads and writes.
  public static let formatVersion = 1

  /// Loads and checks an organization directory.
  ///
  /// - Returns: the organization; its ``Organization/findings`` hold the warnings.
  /// - Throws: ``InputError`` with every error found (and the warnings), each naming the file, JSON path and
  ///   line:column: nothing is answered on an organization that does not load.
  public static func load(_ directory: String) throws(InputError) -> Organization {
    var loading = Loading(directory: directory)
    let organization = try loading.run()
    return organization
  }
}

/// One load: the files read in order, and every problem found.
struct Loading {
  let directory: String
  var reader = StrictReader()
  let managed = ManagedDocuments()
  /// Each permission set's JSON, by name, for positions in later messages.
  var permissionSetJSON: [String: JSONValue] = [:]
  /// The file names of permission sets that did not read, whose names later references may still use.
  var unreadPermissionSets: Set<String> = []

  init(directory: String) {
    self.directory = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
  }

  mutating func run() throws(InputError) -> Organization {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw InputError(.fileUnreadable, "`\(directory)` is not an organization directory (no such folder)", file: directory)
    }
    // The identity store is the largest part of a big organization: it is read and checked on another core while
    // the rest loads.
    let identityStore = IdentityStoreRead(files: jsonFiles(in: "identity-store"))
    defer { identityStore.wait() }
    let treeJSON = try InputFile.readJSON(directory + "/organization.json")
    var treeReader = TreeReader(directory: directory, reader: reader)
    let tree = treeReader.read(treeJSON)
    reader = treeReader.reader
    guard var tree else { throw InputError(reader.diagnostics) }
    let permissionSets = readPermissionSets()
    for reference in treeReader.suffixReferences
    where !permissionSets.contains(where: { $0.name.lowercased() == reference.name.lowercased() }) {
      reader.error(.unknownReference, "`roleSuffixes` names the permission set `\(reference.name)`, which `permission-sets/` does not have\(Self.closest(reference.name, permissionSets.map(\.name)))",
                   directory + "/organization.json", reference.path, reference.position)
    }
    // Accounts' IAM first: it does not need the identity store, which is still being read.
    readAccountIAM(into: &tree.root)
    let store = readIdentityStore(identityStore)
    let accessControl = readAccessControl()
    var organization = Organization(
      id: tree.id, managementAccount: tree.managementAccount, enabledPolicyTypes: tree.enabled,
      identityCenter: tree.identityCenter, delegatedAdministrators: tree.delegatedAdministrators, root: tree.root,
      permissionSets: permissionSets, assignments: [], identityStore: store, accessControl: accessControl)
    organization.assignments = readAssignments(organization)
    organization.accountAccess = readAccountAccess(organization)
    var preflight = Preflight(organization: organization, managed: managed, directory: directory, sources: permissionSetJSON)
    preflight.run()
    reader.diagnostics += preflight.diagnostics
    guard !reader.diagnostics.containsErrors else { throw InputError(reader.diagnostics) }
    organization.findings = reader.diagnostics.sorted()
    organization.managed = managed
    return organization
  }

  // MARK: - Files

  private func jsonFiles(in folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
      .map { directory + "/" + folder + "/" + $0 }
  }

  private mutating func json(_ path: String) -> JSONValue? {
    do throws(InputError) { return try InputFile.readJSON(path, limit: InputFile.maximumListingSize) } catch {
      reader.diagnostics += error.diagnostics
      return nil
    }
  }

  private mutating func readPermissionSets() -> [PermissionSet] {
    var result: [PermissionSet] = []
    var names: [String: String] = [:]
    var arns: [String: String] = [:]
    for path in jsonFiles(in: "permission-sets") {
      guard let json = json(path) else {
        unreadPermissionSets.insert(String(path.split(separator: "/").last!.dropLast(5)).lowercased())
        continue
      }
      do throws(InputError) {
        let (permissionSet, findings) = try PermissionSet.read(json, source: path)
        reader.diagnostics += findings
        if let other = names[permissionSet.name.lowercased()] {
          reader.error(.duplicate, "the permission set `\(permissionSet.name)` is also defined in `\(other)`", path,
                       JSONPath.root.appending("Name"), json["Name"]?.position)
          continue
        }
        if let arn = permissionSet.arn, let other = arns[arn] {
          reader.error(.duplicate, "the permission-set ARN `\(arn)` is also used in `\(other)`", path,
                       JSONPath.root.appending("PermissionSetArn"), json["PermissionSetArn"]?.position)
          continue
        }
        names[permissionSet.name.lowercased()] = path
        if let arn = permissionSet.arn { arns[arn] = path }
        permissionSetJSON[permissionSet.name.lowercased()] = json
        checkManagedPolicies(json, path)
        result.append(permissionSet)
      } catch {
        reader.diagnostics += error.diagnostics
        unreadPermissionSets.insert((json["Name"]?.stringValue ?? "").lowercased())
      }
    }
    return result
  }

  /// AWS managed policies must be ones AWS has, wherever the set is assigned.
  private mutating func checkManagedPolicies(_ json: JSONValue, _ file: String) {
    var references: [(JSONValue, JSONPath)] = (json["AwsManagedPolicies"]?.elements ?? []).enumerated().map {
      ($0.element, JSONPath.root.appending("AwsManagedPolicies").appending($0.offset))
    }
    if let boundary = json["PermissionsBoundary"]?["ManagedPolicyArn"] {
      references.append((boundary, JSONPath.root.appending("PermissionsBoundary").appending("ManagedPolicyArn")))
    }
    for (value, path) in references {
      guard let arn = value.stringValue else { continue }
      do throws(InputError) {
        _ = try managed.document(arn, kind: .identity, file: file, path: path, position: value.position)
      } catch {
        reader.diagnostics += error.diagnostics
      }
    }
  }

  private mutating func readIdentityStore(_ read: IdentityStoreRead) -> IdentityStore {
    read.wait()
    reader.diagnostics += read.diagnostics
    let (documents, report) = (read.documents, read.report)
    for payload in report.payloads {
      for finding in payload.findings where finding.severity == .error {
        reader.error(Diagnostic.Code(rawValue: "identity-store." + finding.code.rawValue), finding.message,
                     finding.location?.file ?? payload.file, finding.location?.jsonPath ?? payload.jsonPath,
                     finding.location?.position ?? payload.position)
      }
    }
    let store = report.store
    // The same user or group twice, across files of `aws identitystore` output.
    var seen: [String: String] = [:]
    var reportedMembers: Set<String> = []
    for (name, json) in documents {
      for (list, idKey, nameKey) in [("Users", "UserId", "UserName"), ("Groups", "GroupId", "DisplayName")] {
        for (index, entry) in (json[list]?.elements ?? []).enumerated() {
          for key in [idKey, nameKey] {
            guard let value = entry[key]?.stringValue else { continue }
            let id = list + key + (key == nameKey ? value.lowercased() : value)
            if let other = seen[id] {
              reader.error(.duplicate, "`\(value)` is also in `\(other)`: the identity store has each \(list == "Users" ? "user" : "group") once",
                           name, JSONPath.root.appending(list).appending(index).appending(key), entry[key]?.position)
            } else {
              seen[id] = name
            }
          }
        }
      }
    }
    // Memberships that name a group the store does not have, or a member that is not a user.
    for (name, json) in documents {
      guard let memberships = json["GroupMemberships"]?.elements else { continue }
      for (index, membership) in memberships.enumerated() {
        let at = JSONPath.root.appending("GroupMemberships").appending(index)
        if let group = membership["GroupId"]?.stringValue, !store.groups.contains(where: { $0.id == group }) {
          reader.error(.unknownReference, "the membership names the group `\(group)`, which the identity store does not have", name,
                       at.appending("GroupId"), membership["GroupId"]?.position)
        }
        if let user = membership["MemberId"]?["UserId"] {
          if let id = user.stringValue, store.user(id: id) == nil {
            reportedMembers.insert(id)
            reader.error(.unknownReference, "the member `\(id)` is not a user of the identity store", name,
                         at.appending("MemberId").appending("UserId"), user.position)
          }
        } else {
          reader.error(.unknownReference, "a group member must be a user (`MemberId.UserId`)", name, at.appending("MemberId"),
                       membership.position)
        }
      }
    }
    for group in store.groups {
      for member in group.memberIDs where store.user(id: member) == nil && !reportedMembers.contains(member) {
        if store.groups.contains(where: { $0.id == member }) {
          reader.warning(.nestedGroup, "the group `\(group.displayName)` has the group \(member) as a member: Identity Center does not provision nested groups from Entra ID, and iamsim does not follow them",
                         directory + "/identity-store")
        } else {
          reader.error(.unknownReference, "the group `\(group.displayName)` has the member \(member), which is not a user of the identity store",
                       directory + "/identity-store", .root, nil)
        }
      }
    }
    return store
  }

  private mutating func readAccessControl() -> AccessControlConfiguration? {
    let path = directory + "/access-control-attributes.json"
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    do {
      return try AccessControlConfiguration(json: InputFile.read(path), file: path)
    } catch let error as JSONInputError {
      reader.error(.wrongType, error.message, path, error.jsonPath ?? .root, error.position)
    } catch let error as InputError {
      reader.diagnostics += error.diagnostics
    } catch {
      reader.error(.wrongType, "\(error)", path, .root, nil)
    }
    return nil
  }

  // MARK: - Accounts' IAM

  private mutating func readAccountIAM(into root: inout OrganizationalUnit) {
    var byAccount: [String: AccountIAM] = [:]
    var known: Set<String> = []
    var notCollected: Set<String> = []
    func walk(_ node: OrganizationalUnit) {
      for account in node.accounts {
        known.insert(account.id)
        if account.iam == nil { notCollected.insert(account.id) }
      }
      node.children.forEach(walk)
    }
    walk(root)
    let accountsFolder = directory + "/accounts"
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: accountsFolder)) ?? []).sorted() {
      let path = accountsFolder + "/" + name + "/authorization-details.json"
      guard known.contains(name) else {
        reader.error(.unknownReference, "`accounts/\(name)` is not an account of the tree", accountsFolder + "/" + name, .root, nil)
        continue
      }
      if notCollected.contains(name) {
        reader.error(.mismatch, "account \(name) is marked `\"iam\": \"not-collected\"` but `accounts/\(name)` holds its IAM", path, .root, nil)
        continue
      }
      guard FileManager.default.fileExists(atPath: path) else { continue }
      guard let json = json(path) else { continue }
      var details = AuthorizationDetailsReader(account: name, file: path, reader: reader, managed: managed)
      var iam = byAccount[name] ?? AccountIAM()
      details.read(json, into: &iam)
      reader = details.reader
      byAccount[name] = iam
    }
    let handWritten = directory + "/customer-managed-policies"
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: handWritten)) ?? []).sorted() {
      let folder = handWritten + "/" + name
      guard known.contains(name) else {
        reader.error(.unknownReference, "`customer-managed-policies/\(name)` is not an account of the tree", folder, .root, nil)
        continue
      }
      if notCollected.contains(name) {
        reader.error(.mismatch, "account \(name) is marked `\"iam\": \"not-collected\"` but `customer-managed-policies/\(name)` holds policies",
                     folder, .root, nil)
        continue
      }
      let files = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".json") }.sorted()
      var iam = byAccount[name] ?? AccountIAM()
      for relative in files {
        let parts = relative.split(separator: "/").map(String.init)
        let policyName = String(parts.last!.dropLast(5))
        let policyPath = "/" + parts.dropLast().map { $0 + "/" }.joined()
        let path = folder + "/" + relative
        if iam.policy(path: policyPath, name: policyName) != nil {
          reader.error(.duplicate, "the customer managed policy `\(policyPath)\(policyName)` of account \(name) is also in its authorization details",
                       path, .root, nil)
          continue
        }
        do throws(InputError) {
          let document = try PolicyDocument(parsing: InputFile.read(path), name: "\(policyPath)\(policyName)", kind: .identity, file: path)
          iam.policies.append(CustomerManagedPolicy(
            name: policyName, path: policyPath, arn: "arn:aws:iam::\(name):policy\(policyPath)\(policyName)", document: document))
        } catch {
          reader.diagnostics += error.diagnostics
        }
      }
      byAccount[name] = iam
    }
    func apply(_ node: inout OrganizationalUnit) {
      for index in node.accounts.indices where node.accounts[index].iam != nil {
        node.accounts[index].iam = byAccount[node.accounts[index].id] ?? AccountIAM()
      }
      for index in node.children.indices { apply(&node.children[index]) }
    }
    apply(&root)
  }

  // MARK: - Assignments and grants

  private mutating func readAssignments(_ organization: Organization) -> [Assignment] {
    let path = directory + "/assignments.json"
    guard FileManager.default.fileExists(atPath: path), let json = json(path) else { return [] }
    guard let elements = json.elements else {
      if json["AccountAssignments"] != nil {
        reader.error(.notThisFormat, "this is the output of `aws sso-admin list-account-assignments` (`AccountAssignments`), not an organization's `assignments.json`: run `iamsim import` on it",
                     path, .root, json.position)
      } else {
        reader.error(.wrongType, "`assignments.json` must be an array of assignments, not \(json.typeName)", path, .root, json.position)
      }
      return []
    }
    var result: [Assignment] = []
    var seen: Set<Assignment> = []
    for (index, item) in elements.enumerated() {
      let at = JSONPath.root.appending(index)
      guard reader.object(item, "an assignment", allowed: ["principalType", "principal", "principalId", "permissionSet", "permissionSetArn", "account"],
                          required: ["principalType", "account"], path, at),
        let (type, name, id) = principal(item, path, at, organization),
        let account = reader.string(item, "account", path, at)
      else { continue }
      guard let permissionSet = permissionSet(item, path, at, organization) else { continue }
      guard organization.account(account) != nil else {
        reader.error(.unknownReference, "the assignment names account \(account), which is not in the organization's tree", path,
                     at.appending("account"), item["account"]?.position)
        continue
      }
      let assignment = Assignment(principalType: type, principal: name, principalId: id, permissionSet: permissionSet.name,
                                  permissionSetArn: permissionSet.arn, account: account)
      guard seen.insert(assignment).inserted else {
        reader.error(.duplicate, "the assignment of `\(assignment.permissionSet)` to `\(assignment.principal)` in account \(account) appears twice", path, at, item.position)
        continue
      }
      result.append(assignment)
    }
    return result
  }

  private mutating func readAccountAccess(_ organization: Organization) -> AccountAccess {
    let path = directory + "/account-access.json"
    guard FileManager.default.fileExists(atPath: path), let json = json(path) else { return AccountAccess() }
    guard reader.object(json, "`account-access.json`", allowed: ["applicationArn", "grants"], required: ["grants"], path, .root) else {
      return AccountAccess()
    }
    var access = AccountAccess(applicationArn: reader.string(json, "applicationArn", path, .root))
    for (index, item) in (reader.array(json, "grants", path, .root) ?? []).enumerated() {
      let at = JSONPath.root.appending("grants").appending(index)
      guard reader.object(item, "a grant", allowed: ["id", "principalType", "principal", "principalId", "account", "role"],
                          required: ["principalType", "account", "role"], path, at),
        let (type, name, id) = principal(item, path, at, organization),
        let account = reader.string(item, "account", path, at), let role = reader.string(item, "role", path, at)
      else { continue }
      guard let target = organization.account(account) else {
        reader.error(.unknownReference, "the grant names account \(account), which is not in the organization's tree", path,
                     at.appending("account"), item["account"]?.position)
        continue
      }
      if let iam = target.iam, iam.role(named: role) == nil {
        reader.error(.unknownReference, "account \(account) has no role `\(role)` in its authorization details", path,
                     at.appending("role"), item["role"]?.position)
        continue
      }
      access.grants.append(AccountAccessGrant(id: reader.string(item, "id", path, at), principalType: type, principal: name,
                                              principalId: id, account: account, role: role))
    }
    return access
  }

  /// The user or group an assignment or grant names, by name, ID or both (which must agree).
  private mutating func principal(_ item: JSONValue, _ file: String, _ at: JSONPath, _ organization: Organization)
    -> (PrincipalType, String, String?)?
  {
    guard let typeText = reader.string(item, "principalType", file, at) else { return nil }
    guard let type = PrincipalType(rawValue: typeText) else {
      reader.error(.wrongType, "`principalType` must be `USER` or `GROUP`, not `\(typeText)`", file, at.appending("principalType"),
                   item["principalType"]?.position)
      return nil
    }
    let name = reader.string(item, "principal", file, at)
    let id = reader.string(item, "principalId", file, at)
    let store = organization.identityStore
    let what = type == .user ? "user" : "group"
    func describe(_ key: String, _ value: String, _ hint: String) {
      let empty = store.users.isEmpty && store.groups.isEmpty ? " (the identity store is empty: is `identity-store/` missing?)" : ""
      reader.error(.unknownReference, "the identity store has no \(what) \(key == "principalId" ? "with ID" : "named") `\(value)`\(hint)\(empty)", file,
                   at.appending(key), item[key]?.position)
    }
    switch type {
    case .user:
      let byName = name.map { store.user(named: $0) }
      let byID = id.map { store.user(id: $0) }
      if let name, byName! == nil { describe("principal", name, Self.closest(name, store.users.map(\.userName))); return nil }
      if let id, byID! == nil { describe("principalId", id, ""); return nil }
      guard let user = (byName ?? byID)! else {
        reader.error(.missingMember, "an assignment needs `principal` (the user name) or `principalId`", file, at, item.position)
        return nil
      }
      if let byName, let byID, byName?.id != byID?.id {
        reader.error(.mismatch, "`principal` `\(name!)` and `principalId` `\(id!)` are different users", file, at.appending("principal"),
                     item["principal"]?.position)
        return nil
      }
      return (type, user.userName, user.id)
    case .group:
      let byName = name.map { store.group(named: $0) }
      let byID = id.map { identifier in store.groups.first { $0.id == identifier } }
      if let name, byName! == nil { describe("principal", name, Self.closest(name, store.groups.map(\.displayName))); return nil }
      if let id, byID! == nil { describe("principalId", id, ""); return nil }
      guard let group = (byName ?? byID)! else {
        reader.error(.missingMember, "an assignment needs `principal` (the group's display name) or `principalId`", file, at, item.position)
        return nil
      }
      if let byName, let byID, byName?.id != byID?.id {
        reader.error(.mismatch, "`principal` `\(name!)` and `principalId` `\(id!)` are different groups", file, at.appending("principal"),
                     item["principal"]?.position)
        return nil
      }
      return (type, group.displayName, group.id)
    }
  }

  private mutating func permissionSet(_ item: JSONValue, _ file: String, _ at: JSONPath, _ organization: Organization) -> PermissionSet? {
    let name = reader.string(item, "permissionSet", file, at)
    let arn = reader.string(item, "permissionSetArn", file, at)
    let byName = name.flatMap { organization.permissionSet(named: $0) }
    let byARN = arn.flatMap { value in organization.permissionSets.first { $0.arn == value } }
    if let name, byName == nil {
      if unreadPermissionSets.contains(name.lowercased()) { return nil }
      reader.error(.unknownReference, "the organization has no permission set named `\(name)`\(Self.closest(name, organization.permissionSets.map(\.name)))",
                   file, at.appending("permissionSet"), item["permissionSet"]?.position)
      return nil
    }
    if let arn, byARN == nil {
      reader.error(.unknownReference, "no permission set of `permission-sets/` has the ARN `\(arn)`", file, at.appending("permissionSetArn"),
                   item["permissionSetArn"]?.position)
      return nil
    }
    if let byName, let byARN, byName.name != byARN.name {
      reader.error(.mismatch, "`permissionSet` `\(byName.name)` and `permissionSetArn` name different permission sets", file,
                   at.appending("permissionSetArn"), item["permissionSetArn"]?.position)
      return nil
    }
    guard let found = byName ?? byARN else {
      reader.error(.missingMember, "an assignment needs `permissionSet` or `permissionSetArn`", file, at, item.position)
      return nil
    }
    return found
  }

  /// `; did you mean `X`?` for the closest of `candidates`, or nothing.
  static func closest(_ typed: String, _ candidates: [String]) -> String {
    let lowered = typed.lowercased()
    let match = candidates.first { $0.lowercased().hasPrefix(lowered + "@") || $0.lowercased().split(separator: "@").first.map(String.init) == lowered }
      ?? candidates.first { StrictReader.isCloseSpelling(typed, $0) }
    return match.map { "; did you mean `\($0)`?" } ?? ""
  }
}

/// The identity store's files, read as JSON and validated as SCIM on a background thread.
final class IdentityStoreRead: @unchecked Sendable {
  private let finished = DispatchSemaphore(value: 0)
  private var waited = false
  /// The files that read, in order.
  private(set) var documents: [(name: String, root: JSONValue)] = []
  /// Why the others did not.
  private(set) var diagnostics: [Diagnostic] = []
  private(set) var report = SCIMValidator().validate(documents: [])

  init(files: [String]) {
    DispatchQueue.global().async { [self] in
      // The files (users, groups and memberships, typically) are parsed at the same time, and kept in order.
      let parsed = ResultBuffer<Result<JSONValue, InputError>?>(count: files.count, initial: nil)
      DispatchQueue.concurrentPerform(iterations: files.count) { index in
        parsed[index] = Result { () throws(InputError) in
          try InputFile.readJSON(files[index], limit: InputFile.maximumListingSize)
        }
      }
      for (path, result) in zip(files, parsed.values) {
        switch result {
        case .success(let root): documents.append((path, root))
        case .failure(let error): diagnostics += error.diagnostics
        case nil: break
        }
      }
      report = SCIMValidator().validate(documents: documents)
      finished.signal()
    }
  }

  /// Waits until the files are read and checked (on the loading thread only; once is enough).
  func wait() {
    if waited { return }
    finished.wait()
    waited = true
  }
}
