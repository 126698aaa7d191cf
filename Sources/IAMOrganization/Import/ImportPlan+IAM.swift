/// The accounts' IAM: authorization-details pages merged, and what the `AWSReservedSSO_` roles tell.
extension ImportPlan {
  /// A role's name and path.
  static func role(_ json: JSONValue) -> (name: String, path: String)? {
    guard let name = json["RoleName"]?.stringValue else { return nil }
    return (name, json["Path"]?.stringValue ?? "/")
  }

  /// `accounts/ACCOUNT/authorization-details.json` for every account exported, pages merged.
  mutating func authorizationDetails(_ model: ImportModel) -> (roles: [String: [(name: String, path: String)]], truncated: Set<String>) {
    var roles: [String: [(name: String, path: String)]] = [:]
    var truncated: Set<String> = []
    for (account, pages) in model.authorizationPages.sorted(by: { $0.key < $1.key }) {
      var lists: [(String, JSONOutput)] = []
      for key in ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"] {
        var byArn: [String: (file: String, json: JSONValue)] = [:]
        var items: [JSONOutput] = []
        for (file, page) in pages {
          let elements = key == "UserDetailList" ? page.users : key == "GroupDetailList" ? page.groups : key == "RoleDetailList" ? page.roles : page.policies
          for element in elements {
            let arn = element["Arn"]?.stringValue ?? ""
            if let earlier = byArn[arn] {
              if earlier.json.output != element.output {
                errors.append(Diagnostic(.importConflict, .error,
                                         "`\(arn)` is also in `\(earlier.file)`, with other content: are these pages of two different exports?",
                                         file: file, position: element.position))
              }
              continue
            }
            byArn[arn] = (file, element)
            items.append(element.output)
            if key == "RoleDetailList", let role = Self.role(element) { roles[account, default: []].append(role) }
          }
        }
        lists.append((key, .array(items)))
      }
      unresolvedIAMReferences(account, pages)
      if pages.allSatisfy(\.page.isTruncated) {
        truncated.insert(account)
        warnings.append(Diagnostic(.importTruncated, .warning,
                                   "every page of account \(account)'s authorization details says more follow: the last page is missing",
                                   file: pages.last?.file))
      }
      files["accounts/\(account)/authorization-details.json"] = Self.render(.object(lists))
    }
    return (roles, truncated)
  }

  /// Warns about groups and customer managed policies that an account's users, groups and roles name but its
  /// merged pages lack (an export run with `--filter`, or a page missing): the loader refuses them.
  mutating func unresolvedIAMReferences(_ account: String, _ pages: [(file: String, page: AuthorizationPage)]) {
    let groups = Set(pages.flatMap(\.page.groups).compactMap { $0["GroupName"]?.stringValue?.lowercased() })
    let policies = Set(pages.flatMap(\.page.policies).compactMap { $0["Arn"]?.stringValue })
    for (file, page) in pages {
      for (key, list) in [("UserDetailList", page.users), ("GroupDetailList", page.groups), ("RoleDetailList", page.roles)] {
        for (index, item) in list.enumerated() {
          let at = JSONPath.root.appending(key).appending(index)
          for (position, group) in (item["GroupList"]?.elements ?? []).enumerated() {
            guard let name = group.stringValue, !groups.contains(name.lowercased()) else { continue }
            warnings.append(Diagnostic(.importUnresolved, .warning,
                                       "the group `\(name)` is in no `GroupDetailList` of account \(account)'s authorization details: the loader refuses it",
                                       file: file, path: at.appending("GroupList").appending(position), position: group.position))
          }
          var arns = (item["AttachedManagedPolicies"]?.elements ?? []).enumerated().map {
            (at.appending("AttachedManagedPolicies").appending($0.offset).appending("PolicyArn"), $0.element["PolicyArn"])
          }
          arns.append((at.appending("PermissionsBoundary").appending("PermissionsBoundaryArn"), item["PermissionsBoundary"]?["PermissionsBoundaryArn"]))
          for (path, value) in arns {
            guard let arn = value?.stringValue, !arn.hasPrefix("arn:aws:iam::aws:"), !policies.contains(arn) else { continue }
            warnings.append(Diagnostic(.importUnresolved, .warning,
                                       "`\(arn)` is in no `Policies` of account \(account)'s authorization details: the loader refuses it",
                                       file: file, path: path, position: value?.position))
          }
        }
      }
    }
  }

  /// Role suffixes by account and permission-set name, and Identity Center's region, from the
  /// `AWSReservedSSO_NAME_SUFFIX` roles under `/aws-reserved/sso.amazonaws.com/`.
  mutating func identityCenterRoles(_ roles: [String: [(name: String, path: String)]], model: ImportModel)
    -> ([String: [String: String]], String?)
  {
    var suffixes: [String: [String: String]] = [:]
    var regions: [String: Int] = [:]
    let prefix = "/aws-reserved/sso.amazonaws.com/"
    for (account, list) in roles {
      for role in list where role.name.hasPrefix("AWSReservedSSO_") && role.path.hasPrefix(prefix) {
        let rest = role.name.dropFirst("AWSReservedSSO_".count)
        guard let separator = rest.lastIndex(of: "_") else { continue }
        let name = String(rest[..<separator])
        let suffix = String(rest[rest.index(after: separator)...])
        guard !name.isEmpty, !suffix.isEmpty, suffix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { continue }
        suffixes[account, default: [:]][name] = suffix
        let region = role.path.dropFirst(prefix.count).split(separator: "/").first.map(String.init) ?? "us-east-1"
        regions[region, default: 0] += 1
      }
    }
    if let named = model.instanceRegion { return (suffixes, named) }
    let ranked = regions.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    if ranked.count > 1 {
      warnings.append(Diagnostic(.importGuess, .warning,
                                 "`AWSReservedSSO_` roles give several regions (\(ranked.map(\.key).joined(separator: ", "))); Identity Center's is taken to be \(ranked[0].key)"))
    }
    return (suffixes, ranked.first?.key)
  }
}
