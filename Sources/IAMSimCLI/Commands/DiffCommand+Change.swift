import Foundation
import IAMAudit
import IAMCatalog
import IAMOrganization
import IAMPolicy

/// `iamsim diff` over changes to an organization: two organizations (directories or Terraform states), a Terraform
/// plan, or a CloudFormation template laid over an organization, reviewed in people.
extension DiffCommand {
  /// A `--fail-on` gate: conditions that must all hold of one gained action.
  struct Gate: Sendable {
    let text: String
    var levels: [AccessLevel] = []
    var actions: [ActionPattern] = []
    var accounts: [String] = []
    var groups: [String] = []
    var users: [String] = []
    var permissionSets: [String] = []
    /// IAM role names, lowercased.
    var roles: [String] = []
    /// Finding codes or families (`privilege-escalation`), lowercased.
    var findings: [String] = []

    static let keys = ["access-level", "action", "account", "group", "user", "permission-set", "role", "finding"]

    /// `KEY=VALUE[,KEY=VALUE...]`: every condition must hold of the same gained action.
    static func parse(_ text: String) throws(UsageError) -> Gate {
      var gate = Gate(text: text)
      for part in text.split(separator: ",", omittingEmptySubsequences: false) {
        let pieces = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
        guard pieces.count == 2, !pieces[1].isEmpty else {
          throw UsageError(
            "--fail-on `\(text)`: each condition is KEY=VALUE, with KEY one of \(keys.joined(separator: ", "))",
            command: "diff")
        }
        let (key, value) = (pieces[0].lowercased(), pieces[1])
        switch key {
        case "access-level", "level":
          guard
            let level = AccessLevel.allCases.first(where: {
              $0.rawValue.lowercased() == value.lowercased()
                || $0.rawValue.lowercased().replacingOccurrences(of: " ", with: "-") == value.lowercased()
            })
          else {
            throw UsageError(
              "--fail-on `\(text)`: the access level must be List, Read, Write, Permissions management or Tagging, not `\(value)`",
              command: "diff")
          }
          gate.levels.append(level)
        case "action":
          switch ActionPattern.compile(value) {
          case .success(let pattern): gate.actions.append(pattern)
          case .failure(let error): throw UsageError("--fail-on `\(text)`: \(error.message)", command: "diff")
          }
        case "account": gate.accounts.append(value)
        case "group": gate.groups.append(value.lowercased())
        case "user": gate.users.append(value.lowercased())
        case "permission-set": gate.permissionSets.append(value.lowercased())
        case "role": gate.roles.append(value.lowercased())
        case "finding":
          // The standard rules' codes, and the external access of IAM roles' trust policies.
          let known = RiskRule.standardCodes + ZoneOfTrust.findingCodes
          let families = Set(known.map { String($0.prefix { $0 != "." }) })
          guard value == "*" || known.contains(value.lowercased()) || families.contains(value.lowercased()) else {
            throw UsageError(
              "--fail-on `\(text)`: `\(value)` is not a finding code or family (see `iamsim audit --help`; such as \(known.first ?? ""))",
              command: "diff")
          }
          gate.findings.append(value.lowercased())
        default:
          throw UsageError(
            "--fail-on `\(text)`: unknown condition `\(key)`; use \(keys.joined(separator: ", "))", command: "diff")
        }
      }
      return gate
    }

    /// Whether a finding code is one the gate names (a code, its family, or `*`).
    func names(finding code: String) -> Bool {
      let family = String(code.prefix { $0 != "." })
      return findings.contains { $0 == "*" || $0 == code.lowercased() || $0 == family.lowercased() }
    }

    /// The gained findings of a user's entry that trip a gate naming findings: those it names, when the entry is in
    /// the gate's scope and (if the gate also names actions or access levels) gains such an action.
    func trippingFindings(_ entry: ChangeReview.Entry, levels known: [String: AccessLevel], accountName: String?)
      -> [String]
    {
      guard entry.kind != .group, !findings.isEmpty else { return [] }
      let named = entry.findingsGained.filter { names(finding: $0) }
      guard !named.isEmpty else { return [] }
      if !levels.isEmpty || !actions.isEmpty {
        guard entry.gained.contains(where: { actionMatches(entry, action: $0, level: known[$0]) }) else { return [] }
      }
      return scope(entry, accountName: accountName) ? named : []
    }

    /// Whether a user's or role's entry falls under the gate's account, group, user, permission set and role.
    func scope(_ entry: ChangeReview.Entry, accountName: String?) -> Bool {
      entry.kind == .role
        ? scope(
          account: entry.account, accountName: accountName, group: nil, groupKnown: false, user: nil,
          permissionSet: nil, role: entry.name)
        : scope(
          account: entry.account, accountName: accountName, group: entry.group, groupKnown: true, user: entry.name,
          permissionSet: entry.via)
    }

    /// Whether a user's gained action trips the gate (one that names no finding).
    func trips(_ entry: ChangeReview.Entry, action: String, level: AccessLevel?, accountName: String?) -> Bool {
      guard entry.kind != .group, findings.isEmpty, actionMatches(entry, action: action, level: level) else {
        return false
      }
      return scope(entry, accountName: accountName)
    }

    /// Whether an action meets the gate's access-level and action conditions.
    func actionMatches(_ entry: ChangeReview.Entry, action: String, level: AccessLevel?) -> Bool {
      if !levels.isEmpty { guard let level, levels.contains(level) else { return false } }
      if !actions.isEmpty {
        let parts = action.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return false }
        let service = parts[0].lowercased()
        let name = Array(parts[1].lowercased().utf8)
        guard
          name.withUnsafeBufferPointer({ buffer in
            actions.contains { $0.matches(service: service, lowercasedName: buffer) }
          })
        else {
          return false
        }
      }
      return true
    }

    /// Whether what is known of a session lets it fall under the gate (unknown parts count as matching). A role's
    /// session (`role` set) falls under no gate naming a group, user or permission set.
    func scope(
      account: String?, accountName: String?, group: String?, groupKnown: Bool, user: String?, permissionSet: String?,
      role: String? = nil
    )
      -> Bool
    {
      if let role {
        guard groups.isEmpty && users.isEmpty && permissionSets.isEmpty else { return false }
        if !roles.isEmpty && !roles.contains(role.lowercased()) { return false }
      } else if !roles.isEmpty && (groupKnown || user != nil || permissionSet != nil) {
        // A user's session, or one whose kind is known not to be a role's.
        return false
      }
      if !accounts.isEmpty, let account,
        !accounts.contains(account) && !accounts.contains(where: { $0.lowercased() == accountName?.lowercased() })
      {
        return false
      }
      if !groups.isEmpty && groupKnown { guard let group, groups.contains(group.lowercased()) else { return false } }
      if !users.isEmpty, let user, !users.contains(user.lowercased()) { return false }
      if !permissionSets.isEmpty, let permissionSet, !permissionSets.contains(permissionSet.lowercased()) {
        return false
      }
      return true
    }
  }

  /// A gate that tripped, and on what.
  struct Trip: Sendable {
    var gate: String
    var user: String?
    var role: String? = nil
    var account: String?
    var via: String?
    var action: String?
    /// The gained risk finding code that tripped a `finding=` gate.
    var finding: String? = nil
    var reason: String
  }

  /// What the people part of `diff` reports.
  struct PeopleReport: Sendable {
    var review: ChangeReview
    var unmodelled: [ResourceOrigin] = []
    var unknowns: [(origin: ResourceOrigin, what: String)] = []
    var trips: [Trip] = []
    var accountNames: [String: String] = [:]
    /// Whether permission sets were also compared per account (organization directories): their counts are shown.
    var perPermissionSet = true
  }

  /// Checks the gates against a review: a gained action that meets every condition of a gate trips it, and so
  /// does a session not compared that could (fail closed).
  static func trips(_ gates: [Gate], _ review: ChangeReview, accountNames: [String: String]) -> [Trip] {
    var trips: [Trip] = []
    for gate in gates {
      for entry in review.entries where entry.kind != .group {
        let isRole = entry.kind == .role
        let who = isRole ? "role \(entry.name)" : entry.name
        let through = isRole ? "" : " through \(entry.group.map { "\($0) → " } ?? "")\(entry.via)"
        for action in entry.gained
        where gate.trips(
          entry, action: action, level: review.accessLevels[action], accountName: accountNames[entry.account])
        {
          trips.append(
            Trip(
              gate: gate.text, user: isRole ? nil : entry.name, role: isRole ? entry.name : nil, account: entry.account,
              via: entry.via, action: action, reason: "\(who) gains \(action) in \(entry.account)\(through)"))
        }
        for code in gate.trippingFindings(entry, levels: review.accessLevels, accountName: accountNames[entry.account]) {
          trips.append(
            Trip(
              gate: gate.text, user: isRole ? nil : entry.name, role: isRole ? entry.name : nil, account: entry.account,
              via: entry.via, action: nil, finding: code,
              reason: "\(who) gains finding \(code) in \(entry.account)\(through)"))
        }
      }
      for item in review.notCompared
      where !item.listed
        && gate.scope(
          account: item.account, accountName: item.account.flatMap { accountNames[$0] },
          group: item.group, groupKnown: item.groupKnown, user: item.kind == .user ? item.name : nil,
          permissionSet: item.kind == .role ? nil : item.via, role: item.kind == .role ? item.name : nil)
      {
        trips.append(
          Trip(
            gate: gate.text, user: item.kind == .user ? item.name : nil, role: item.kind == .role ? item.name : nil,
            account: item.account, via: item.via, action: nil,
            reason:
              "not compared, so the gate cannot be shown to hold: \(item.name.map { "\($0): " } ?? "")\(item.reason)"))
      }
    }
    return trips
  }

  /// Reads a Terraform `show -json` file, or `nil` when the file is not one.
  static func terraform(_ reference: String, account: String? = nil) throws(InputError)
    -> (change: OrganizationChange, isPlan: Bool)?
  {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: reference, isDirectory: &isDirectory), !isDirectory.boolValue else {
      return nil
    }
    let json = try InputFile.readJSON(reference, limit: InputFile.maximumListingSize)
    guard TerraformReader.isTerraform(json) else { return nil }
    return (try TerraformReader.read(json, file: reference, account: account), TerraformReader.isPlan(json))
  }

  /// Reads a CloudFormation template, JSON or YAML.
  static func template(_ path: String, parameters: [String: String]) throws(InputError) -> OrganizationChange {
    let json = try CloudFormationReader.parse(try InputFile.read(path), file: path)
    guard CloudFormationReader.isTemplate(json) else {
      throw InputError(
        .changeFormat, "`\(path)` is not a CloudFormation template (no `Resources`)", file: path,
        position: json.position)
    }
    return try CloudFormationReader.read(json, file: path, parameters: parameters)
  }

  /// `--parameter KEY=VALUE` values.
  static func parameters(_ values: [String]) throws(UsageError) -> [String: String] {
    var result: [String: String] = [:]
    for text in values {
      guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
        throw UsageError("--parameter `\(text)` must be KEY=VALUE", command: "diff")
      }
      let key = String(text[..<equals])
      guard result[key] == nil else { throw UsageError("--parameter \(key) is given twice", command: "diff") }
      result[key] = String(text[text.index(after: equals)...])
    }
    return result
  }

  /// The two organizations of a change, and what it leaves open.
  struct Sides {
    var before: Organization
    var after: Organization
    var open: [OpenScope] = []
    var unmodelled: [ResourceOrigin] = []
    var unknowns: [(origin: ResourceOrigin, what: String)] = []
  }

  /// Lays a change over an organization (or none), on both sides.
  static func sides(_ change: OrganizationChange, base: Organization?) throws(InputError) -> Sides {
    let before = try Organization.laying(change.before, over: base, known: change.known + change.after.present)
    let after = try Organization.laying(change.after, over: base, known: change.known + change.before.present)
    return Sides(
      before: before.organization, after: after.organization, open: before.open + after.open,
      unmodelled: change.unmodelled, unknowns: change.unknowns)
  }

  /// The sides of `diff BEFORE AFTER` when either is a Terraform state; `nil` when neither is.
  static func stateSides(_ old: String, _ new: String, err: (String) -> Void) throws -> Sides? {
    let (oldState, newState) = (try terraform(old), try terraform(new))
    guard oldState != nil || newState != nil else { return nil }
    for (reference, state) in [(old, oldState), (new, newState)] where state?.isPlan == true {
      throw UsageError("`\(reference)` is a Terraform plan: give it with --plan PLAN.json [--org DIR]", command: "diff")
    }
    func organization(_ reference: String) throws -> Organization {
      guard FileManager.default.fileExists(atPath: reference + "/organization.json") else {
        throw UsageError(
          "`\(reference)` is neither an organization directory nor `terraform show -json` output", command: "diff")
      }
      return try OrganizationCommand.load(reference, err: err)
    }
    switch (oldState, newState) {
    case (let old?, let new?):
      let before = try Organization.laying(old.change.after, over: nil, known: old.change.known)
      let after = try Organization.laying(new.change.after, over: nil, known: new.change.known)
      return Sides(
        before: before.organization, after: after.organization, open: before.open + after.open,
        unmodelled: old.change.unmodelled + new.change.unmodelled, unknowns: [])
    case (let state?, nil):
      let base = try organization(new)
      let before = try Organization.laying(state.change.after, over: base, known: state.change.known)
      return Sides(before: before.organization, after: base, open: before.open, unmodelled: state.change.unmodelled)
    case (nil, let state?):
      let base = try organization(old)
      let after = try Organization.laying(state.change.after, over: base, known: state.change.known)
      return Sides(before: base, after: after.organization, open: after.open, unmodelled: state.change.unmodelled)
    case (nil, nil):
      return nil
    }
  }

  /// Account names of both sides, for gates that name an account by name.
  static func accountNames(_ sides: [Organization]) -> [String: String] {
    var names: [String: String] = [:]
    for organization in sides { for account in organization.accounts { names[account.id] = account.name } }
    return names
  }
}
