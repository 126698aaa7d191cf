/// The checks that run when an organization loads: what AWS would refuse (errors) and what is probably a mistake
/// (warnings), with codes.
struct Preflight {
  let organization: Organization
  let managed: ManagedDocuments
  let directory: String
  var diagnostics: [Diagnostic] = []

  /// Each permission set's JSON, by lower-cased name, to point at the reference a message is about.
  let sources: [String: JSONValue]

  init(organization: Organization, managed: ManagedDocuments, directory: String, sources: [String: JSONValue]) {
    self.sources = sources
    var organization = organization
    organization.managed = managed
    self.organization = organization
    self.managed = managed
    self.directory = directory
  }

  mutating func run() {
    let assignmentsFile = directory + "/assignments.json"
    var resolved: Set<String> = []
    for (index, assignment) in organization.assignments.enumerated() {
      let at = JSONPath.root.appending(index)
      guard resolved.insert(assignment.permissionSet + "@" + assignment.account).inserted,
        let permissionSet = organization.permissionSet(named: assignment.permissionSet)
      else { continue }
      do throws(SessionUnavailable) {
        _ = try organization.resolve(permissionSet, in: assignment.account)
      } catch where error.code == .iamNotCollected {
        continue
      } catch {
        let (path, position) = reference(in: permissionSet, mentionedIn: error.message)
        diagnostics.append(Diagnostic(
          .provisioningFails, .error,
          "the permission set `\(permissionSet.name)` is assigned in account \(assignment.account) (`assignments.json` \(at)), but \(error.message.replacingOccurrences(of: "permission set `\(permissionSet.name)` references", with: "it references")); AWS fails that provisioning, so no session exists there",
          file: permissionSet.source, path: path, position: position))
      }
      if assignment.account == organization.managementAccount {
        diagnostics.append(Diagnostic(
          .managementAccountAssignment, .warning,
          "`\(assignment.principal)` is assigned `\(assignment.permissionSet)` in the management account \(assignment.account), which SCPs do not restrict; only the management account (not a delegated administrator) can manage this assignment",
          file: assignmentsFile, path: at))
      }
    }
    let assigned = Set(organization.assignments.map { $0.permissionSet.lowercased() })
    for permissionSet in organization.permissionSets where !assigned.contains(permissionSet.name.lowercased()) {
      diagnostics.append(Diagnostic(.unassignedPermissionSet, .warning,
                                    "the permission set `\(permissionSet.name)` is assigned nowhere", file: permissionSet.source))
    }
    let storeFile = directory + "/identity-store"
    for group in organization.identityStore.groups where group.memberIDs.isEmpty {
      diagnostics.append(Diagnostic(.emptyGroup, .warning, "the group `\(group.displayName)` has no members", file: storeFile))
    }
    for user in organization.identityStore.users {
      if user.userName.uppercased().contains("#EXT#") {
        diagnostics.append(Diagnostic(
          .guestUser, .warning,
          "`\(user.userName)` is an Entra ID guest (`#EXT#`): its user name is not the address the guest signs in with, so a SAML NameID will not match it",
          file: storeFile))
      } else if !Self.looksLikeEmail(user.userName) {
        diagnostics.append(Diagnostic(
          .userNameNotEmail, .warning,
          "the user name `\(user.userName)` is not an e-mail address, so a SAML NameID in e-mail form (Entra ID's default) will not match it",
          file: storeFile))
      }
    }
    let accessFile = directory + "/account-access.json"
    for (index, grant) in organization.accountAccess.grants.enumerated() {
      guard let role = organization.account(grant.account)?.iam?.role(named: grant.role) else { continue }
      let trust = organization.accountAccessTrust(role)
      if !trust.usable {
        diagnostics.append(Diagnostic(.unusableGrant, .warning, "the grant of `\(grant.role)` in account \(grant.account) to `\(grant.principal)` is unusable: \(trust.reason)",
                                      file: accessFile, path: JSONPath.root.appending("grants").appending(index)))
      }
    }
  }

  /// The customer managed reference (or boundary) of a permission set that a message names, for its position.
  private func reference(in permissionSet: PermissionSet, mentionedIn message: String) -> (JSONPath, SourcePosition?) {
    guard let json = sources[permissionSet.name.lowercased()] else { return (.root, nil) }
    for (index, item) in (json["CustomerManagedPolicyReferences"]?.elements ?? []).enumerated() {
      if let name = item["Name"]?.stringValue, message.contains((item["Path"]?.stringValue ?? "/") + name + "`") {
        return (JSONPath.root.appending("CustomerManagedPolicyReferences").appending(index).appending("Name"), item["Name"]?.position)
      }
    }
    if let boundary = json["PermissionsBoundary"]?["CustomerManagedPolicyReference"], let name = boundary["Name"] {
      return (JSONPath.root.appending("PermissionsBoundary").appending("CustomerManagedPolicyReference").appending("Name"), name.position)
    }
    return (.root, json.position)
  }

  static func looksLikeEmail(_ text: String) -> Bool {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
  }
}
