/// Reads the `aws organizations` outputs: the organization, its root, OUs and accounts, control policies and
/// their attachments, delegated administrators.
enum OrganizationsExports {
  typealias Read = (key: String, payload: ExportPayload, summary: String)
  static let controlTypes: Set<String> = ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]

  static func read(_ json: JSONValue, command: ExportCommand, name: ExportFileName, reader: ExportReader) throws(InputError) -> Read {
    let root = JSONPath.root
    try reader.object(json, "`\(command.rawValue)` output", at: root)
    switch command {
    case .describeOrganization:
      let at = root.appending("Organization")
      let organization = try reader.member(json, "Organization", at: root, required: true)!
      try reader.object(organization, "`Organization`", at: at)
      let summary = OrganizationSummary(id: try reader.string(organization, "Id", at: at, required: false),
                                        managementAccount: try reader.string(organization, "MasterAccountId", at: at, required: false))
      return (command.rawValue, .organization(summary), "organization \(summary.id ?? "?"), management account \(summary.managementAccount ?? "?")")
    case .listRoots:
      var roots: [RootSummary] = []
      for (item, at) in try reader.objects(json, "Roots", "a root", at: root) {
        var enabled: [String] = []
        for (type, typeAt) in try reader.objects(item, "PolicyTypes", "a policy type", at: at, required: false) {
          let typeName = try reader.string(type, "Type", at: typeAt)!
          if try reader.string(type, "Status", at: typeAt, required: false) == "ENABLED" { enabled.append(typeName) }
        }
        roots.append(RootSummary(id: try reader.string(item, "Id", at: at)!, name: try reader.string(item, "Name", at: at, required: false),
                                 enabledTypes: enabled))
      }
      return (command.rawValue, .roots(roots), "root \(roots.map(\.id).joined(separator: ", "))")
    case .listOrganizationalUnitsForParent:
      let parent = try self.parent(json, name: name, reader: reader)
      var units: [NamedID] = []
      for (item, at) in try reader.objects(json, "OrganizationalUnits", "an organizational unit", at: root) {
        units.append(NamedID(id: try reader.string(item, "Id", at: at)!, name: try reader.string(item, "Name", at: at, required: false)))
      }
      return ("\(command.rawValue).\(parent)", .organizationalUnits(parent: parent, units: units), "\(units.count.counted("OU")) under \(parent)")
    case .listAccounts, .listAccountsForParent:
      let parent = command == .listAccountsForParent ? try self.parent(json, name: name, reader: reader) : nil
      var accounts: [AccountSummary] = []
      for (item, at) in try reader.objects(json, "Accounts", "an account", at: root) {
        let id = try reader.string(item, "Id", at: at)!
        guard AWSIdentifier.isAccount(id) else {
          throw reader.error(.importWrongType, "`\(id)` is not an account ID", at.appending("Id"), item["Id"]?.position)
        }
        accounts.append(AccountSummary(id: id, name: try reader.string(item, "Name", at: at, required: false),
                                       email: try reader.string(item, "Email", at: at, required: false)))
      }
      return (parent.map { "\(command.rawValue).\($0)" } ?? command.rawValue, .accounts(parent: parent, accounts: accounts),
              "\(accounts.count.counted("account"))" + (parent.map { " under \($0)" } ?? ""))
    case .listPolicies, .listPoliciesForTarget:
      return try policies(json, command: command, name: name, reader: reader)
    case .describePolicy:
      let at = root.appending("Policy")
      let policy = try reader.member(json, "Policy", at: root, required: true)!
      try reader.object(policy, "`Policy`", at: at)
      let summaryJSON = try reader.member(policy, "PolicySummary", at: at, required: true)!
      let summary = try self.summary(summaryJSON, at: at.appending("PolicySummary"), reader: reader)
      if name.command == command, let named = name.part(0, where: AWSIdentifier.isPolicy), named != summary.id {
        throw reader.error(.importNameMismatch, "the file name says \(named), but this is the policy \(summary.id)",
                           at.appending("PolicySummary").appending("Id"), summaryJSON["Id"]?.position)
      }
      let content = try reader.member(policy, "Content", at: at, required: true)!
      guard content.stringValue != nil else {
        throw reader.error(.importWrongType, "`Content` must be the policy as a JSON string, not \(content.typeName)",
                           at.appending("Content"), content.position)
      }
      guard let type = summary.type, controlTypes.contains(type) else {
        throw reader.error(.importUnsupportedCommand,
                           "the policy \(summary.id) is a \(summary.type ?? "policy of unknown type"); iamsim reads service and resource control policies",
                           at.appending("PolicySummary").appending("Type"), summaryJSON.position)
      }
      let kind: PolicyKind = type == "SERVICE_CONTROL_POLICY" ? .serviceControl : .resourceControl
      let document = try reader.policyDocument(content, name: summary.name ?? summary.id, kind: kind, at: at.appending("Content"))
      return ("\(command.rawValue).\(summary.id)", .policy(summary, document: document.output),
              "\(type == "SERVICE_CONTROL_POLICY" ? "SCP" : "RCP") \(summary.name ?? summary.id) (\(summary.id))")
    case .listTargetsForPolicy:
      guard name.command == command, let policy = name.part(0, where: AWSIdentifier.isPolicy) else {
        throw Recognition.needsName(reader, json, what: "which policy it is about", name: "list-targets-for-policy.POLICY-ID.json",
                                    explain: "POLICY-ID being the policy's ID (`p-…`)")
      }
      var targets: [PolicyTarget] = []
      for (item, at) in try reader.objects(json, "Targets", "a target", at: root) {
        targets.append(PolicyTarget(id: try reader.string(item, "TargetId", at: at)!, type: try reader.string(item, "Type", at: at, required: false),
                                    name: try reader.string(item, "Name", at: at, required: false)))
      }
      return ("\(command.rawValue).\(policy)", .targets(policy: policy, targets: targets), "\(policy) is attached to \(targets.count.counted("target"))")
    default:
      // Run without `--service-principal`, an empty list says no service has a delegated administrator.
      if name.command != command || name.parts.isEmpty,
        try reader.objects(json, "DelegatedAdministrators", "a delegated administrator", at: root).isEmpty
      {
        return ("\(command.rawValue).sso.amazonaws.com", .delegatedAdministrators(servicePrincipal: "sso.amazonaws.com", accounts: []),
                "no delegated administrator for any service")
      }
      guard name.command == command, !name.parts.isEmpty, name.parts.allSatisfy({ !$0.isEmpty }) else {
        throw Recognition.needsName(reader, json, what: "which service's delegated administrators it lists",
                                    name: "list-delegated-administrators.SERVICE-PRINCIPAL.json",
                                    explain: "SERVICE-PRINCIPAL being the `--service-principal` it was run with, such as `sso.amazonaws.com`")
      }
      let service = name.parts.joined(separator: ".")
      var accounts: [String] = []
      for (item, at) in try reader.objects(json, "DelegatedAdministrators", "a delegated administrator", at: root) {
        accounts.append(try reader.string(item, "Id", at: at)!)
      }
      return ("\(command.rawValue).\(service)", .delegatedAdministrators(servicePrincipal: service, accounts: accounts),
              "\(accounts.count.counted("delegated administrator")) for \(service)")
    }
  }

  /// The parent an output lists the children of: `COMMAND.PARENT-ID.json`.
  private static func parent(_ json: JSONValue, name: ExportFileName, reader: ExportReader) throws(InputError) -> String {
    if name.command == reader.command, let parent = name.part(0, where: AWSIdentifier.isParent) { return parent }
    throw Recognition.needsName(reader, json, what: "which root or OU it lists the children of",
                                name: "\(reader.command.rawValue).PARENT-ID.json", explain: "PARENT-ID being the root's (`r-…`) or OU's (`ou-…`) ID")
  }

  private static func summary(_ json: JSONValue, at path: JSONPath, reader: ExportReader) throws(InputError) -> ControlPolicySummary {
    try reader.object(json, "a policy summary", at: path)
    return ControlPolicySummary(
      id: try reader.string(json, "Id", at: path)!, name: try reader.string(json, "Name", at: path, required: false),
      type: try reader.string(json, "Type", at: path, required: false),
      awsManaged: try reader.bool(json, "AwsManaged", at: path) ?? false)
  }

  private static func policies(_ json: JSONValue, command: ExportCommand, name: ExportFileName, reader: ExportReader) throws(InputError) -> Read {
    var policies: [ControlPolicySummary] = []
    for (item, at) in try reader.objects(json, "Policies", "a policy summary", at: .root) {
      policies.append(try summary(item, at: at, reader: reader))
    }
    let named = name.command == command
    var target: String?
    var filterIndex = 0
    if command == .listPoliciesForTarget {
      guard named, let id = name.part(0, where: AWSIdentifier.isTarget) else {
        throw Recognition.needsName(reader, json, what: "which root, OU or account it lists the policies of",
                                    name: "list-policies-for-target.TARGET-ID.FILTER.json",
                                    explain: "TARGET-ID being the root's, OU's or account's ID and FILTER the `--filter` it was run with")
      }
      target = id
      filterIndex = 1
    }
    let filter = (named ? name.part(filterIndex, where: { $0.hasSuffix("_POLICY") }) : nil)
      .map { Set($0.split(separator: "+").map(String.init)) }
    let types = Set(policies.compactMap(\.type))
    if let filter, let other = types.first(where: { !filter.contains($0) }) {
      throw reader.error(.importNameMismatch, "the file name says `--filter \(filter.sorted().joined(separator: "+"))`, but it lists a policy of type \(other)",
                         .root, json.position)
    }
    let covered = filter ?? types
    guard !covered.isEmpty else {
      throw Recognition.needsName(reader, json, what: "which policy type it lists (it is empty)",
                                  name: target.map { "list-policies-for-target.\($0).FILTER.json" } ?? "list-policies.FILTER.json",
                                  explain: "FILTER being the `--filter` it was run with, such as `SERVICE_CONTROL_POLICY`")
    }
    let list = PolicySummaryList(target: target, types: Set(covered), policies: policies)
    let key = ([command.rawValue] + (target.map { [$0] } ?? []) + [covered.sorted().joined(separator: "+")]).joined(separator: ".")
    return (key, .policySummaries(list),
            "\(policies.count.counted("policy")) of type \(covered.sorted().joined(separator: " and "))" + (target.map { " attached to \($0)" } ?? ""))
  }
}
