/// Reads the `aws sso-admin` outputs: instances, permission sets and their policies, account assignments, the
/// attributes for access control.
enum IdentityCenterExports {
  typealias Read = (key: String, payload: ExportPayload, summary: String)

  static func read(_ json: JSONValue, command: ExportCommand, name: ExportFileName, reader: ExportReader) throws(InputError) -> Read {
    let root = JSONPath.root
    try reader.object(json, "`\(command.rawValue)` output", at: root)
    switch command {
    case .listInstances:
      var instances: [SSOInstance] = []
      for (item, at) in try reader.objects(json, "Instances", "an instance", at: root) {
        instances.append(SSOInstance(arn: try reader.string(item, "InstanceArn", at: at)!,
                                     identityStoreId: try reader.string(item, "IdentityStoreId", at: at, required: false),
                                     ownerAccount: try reader.string(item, "OwnerAccountId", at: at, required: false)))
      }
      let region = name.command == command ? name.part(0, where: AWSIdentifier.isRegion) : nil
      // The region is in no output, only in this name: the key keeps it.
      return (region.map { "\(command.rawValue).\($0)" } ?? command.rawValue, .instances(instances, region: region),
              "\(instances.count.counted("instance"))" + (region.map { " in \($0)" } ?? ""))
    case .listPermissionSets:
      let arns = try reader.strings(json, "PermissionSets", at: root)
      for (index, arn) in arns.enumerated() where AWSIdentifier.permissionSetID(ofArn: arn) == nil {
        throw reader.error(.importWrongType, "`\(arn)` is not a permission-set ARN", root.appending("PermissionSets").appending(index),
                           json["PermissionSets"]?.elements?[index].position)
      }
      return (command.rawValue, .permissionSetArns(arns), "\(arns.count.counted("permission set"))")
    case .describePermissionSet:
      let read = try describe(json, reader: reader)
      if name.command == command, let named = name.part(0, where: AWSIdentifier.isPermissionSetID), read.key != key(command, named) {
        throw reader.error(.importNameMismatch, "the file name says \(named), but this is the permission set \(read.key.split(separator: ".").last ?? "")",
                           JSONPath.root.appending("PermissionSet").appending("PermissionSetArn"), json["PermissionSet"]?["PermissionSetArn"]?.position)
      }
      return read
    case .listManagedPolicies:
      let id = try permissionSet(json, name: name, reader: reader)
      var arns: [String] = []
      for (item, at) in try reader.objects(json, "AttachedManagedPolicies", "an attached policy", at: root) {
        arns.append(try reader.string(item, "Arn", at: at)!)
      }
      return (key(command, id), .managedPolicies(permissionSet: id, arns: arns), "\(arns.count.counted("AWS managed policy")) of \(id)")
    case .listCustomerManagedReferences:
      let id = try permissionSet(json, name: name, reader: reader)
      var references: [JSONOutput] = []
      for (item, at) in try reader.objects(json, "CustomerManagedPolicyReferences", "a reference", at: root) {
        let policyName = try reader.string(item, "Name", at: at)!
        let path = try reader.string(item, "Path", at: at, required: false)
        references.append(.object([("Name", .string(policyName))] + (path.map { [("Path", JSONOutput.string($0))] } ?? [])))
      }
      return (key(command, id), .customerManagedReferences(permissionSet: id, references: references),
              "\(references.count.counted("customer managed policy reference")) of \(id)")
    case .getInlinePolicy:
      let id = try permissionSet(json, name: name, reader: reader)
      var document: JSONOutput?
      if let value = json["InlinePolicy"], value.stringValue != "", value.kind != .null {
        guard value.stringValue != nil else {
          throw reader.error(.importWrongType, "`InlinePolicy` must be the policy as a JSON string, not \(value.typeName)",
                             root.appending("InlinePolicy"), value.position)
        }
        document = try reader.policyDocument(value, name: "\(id) inline policy", kind: .identity, at: root.appending("InlinePolicy")).output
      }
      return (key(command, id), .inlinePolicy(permissionSet: id, document: document),
              document == nil ? "no inline policy in \(id)" : "the inline policy of \(id)")
    case .getPermissionsBoundary:
      let id = try permissionSet(json, name: name, reader: reader)
      var boundary: JSONOutput?
      if let value = json["PermissionsBoundary"], value.kind != .null {
        let at = root.appending("PermissionsBoundary")
        try reader.object(value, "`PermissionsBoundary`", at: at)
        if let arn = try reader.string(value, "ManagedPolicyArn", at: at, required: false) {
          boundary = .object([("ManagedPolicyArn", .string(arn))])
        } else if let reference = try reader.member(value, "CustomerManagedPolicyReference", at: at, required: true) {
          let referenceAt = at.appending("CustomerManagedPolicyReference")
          try reader.object(reference, "`CustomerManagedPolicyReference`", at: referenceAt)
          let policyName = try reader.string(reference, "Name", at: referenceAt)!
          let path = try reader.string(reference, "Path", at: referenceAt, required: false)
          boundary = .object([("CustomerManagedPolicyReference",
                               .object([("Name", .string(policyName))] + (path.map { [("Path", JSONOutput.string($0))] } ?? [])))])
        }
      }
      return (key(command, id), .permissionsBoundary(permissionSet: id, boundary: boundary),
              boundary == nil ? "no permissions boundary in \(id)" : "the permissions boundary of \(id)")
    case .listAccountAssignments, .listAccountAssignmentsForPrincipal:
      return try assignments(json, command: command, name: name, reader: reader)
    case .listAccountsForProvisionedPermissionSet:
      let id = try permissionSet(json, name: name, reader: reader)
      let accounts = try reader.strings(json, "AccountIds", at: root)
      for (index, account) in accounts.enumerated() where !AWSIdentifier.isAccount(account) {
        throw reader.error(.importWrongType, "`\(account)` is not an account ID", root.appending("AccountIds").appending(index),
                           json["AccountIds"]?.elements?[index].position)
      }
      return (key(command, id), .provisionedAccounts(permissionSet: id, accounts: accounts),
              "\(id) is provisioned to \(accounts.count.counted("account"))")
    default:
      return try accessControl(json, reader: reader)
    }
  }

  private static func key(_ command: ExportCommand, _ parts: String...) -> String {
    ([command.rawValue] + parts).joined(separator: ".")
  }

  /// The permission set an output that does not name it is about: `COMMAND.ps-….json`.
  private static func permissionSet(_ json: JSONValue, name: ExportFileName, reader: ExportReader) throws(InputError) -> String {
    if name.command == reader.command, let id = name.part(0, where: AWSIdentifier.isPermissionSetID) { return id }
    throw Recognition.needsName(reader, json, what: "which permission set it is about",
                                name: "\(reader.command.rawValue).PS-ID.json",
                                explain: "PS-ID being the last part of the permission set's ARN (`ps-…`)")
  }

  private static func describe(_ json: JSONValue, reader: ExportReader) throws(InputError) -> Read {
    let at = JSONPath.root.appending("PermissionSet")
    guard let set = try reader.member(json, "PermissionSet", at: .root, required: true) else { fatalError() }
    try reader.object(set, "`PermissionSet`", at: at)
    let name = try reader.string(set, "Name", at: at)!
    let arn = try reader.string(set, "PermissionSetArn", at: at)!
    guard let id = AWSIdentifier.permissionSetID(ofArn: arn) else {
      throw reader.error(.importWrongType, "`\(arn)` is not a permission-set ARN", at.appending("PermissionSetArn"),
                         set["PermissionSetArn"]?.position)
    }
    var members: [(String, JSONOutput)] = [("Name", .string(name)), ("PermissionSetArn", .string(arn))]
    for key in ["Description", "SessionDuration", "RelayState"] {
      if let text = try reader.string(set, key, at: at, required: false) { members.append((key, .string(text))) }
    }
    if let created = try reader.timestamp(set, "CreatedDate", at: at) { members.append(("CreatedDate", .string(created))) }
    let described = DescribedPermissionSet(id: id, arn: arn, name: name, members: members)
    return (key(.describePermissionSet, id), .permissionSet(described), "permission set \(name) (\(id))")
  }

  private static func assignments(_ json: JSONValue, command: ExportCommand, name: ExportFileName, reader: ExportReader)
    throws(InputError) -> Read
  {
    var entries: [AssignmentEntry] = []
    for (item, at) in try reader.objects(json, "AccountAssignments", "an account assignment", at: .root) {
      let account = try reader.string(item, "AccountId", at: at)!
      let arn = try reader.string(item, "PermissionSetArn", at: at)!
      let type = try reader.string(item, "PrincipalType", at: at)!
      let principal = try reader.string(item, "PrincipalId", at: at)!
      guard AWSIdentifier.isAccount(account) else {
        throw reader.error(.importWrongType, "`\(account)` is not an account ID", at.appending("AccountId"), item["AccountId"]?.position)
      }
      guard AWSIdentifier.permissionSetID(ofArn: arn) != nil else {
        throw reader.error(.importWrongType, "`\(arn)` is not a permission-set ARN", at.appending("PermissionSetArn"),
                           item["PermissionSetArn"]?.position)
      }
      guard type == "USER" || type == "GROUP" else {
        throw reader.error(.importWrongType, "`PrincipalType` must be USER or GROUP, not `\(type)`", at.appending("PrincipalType"),
                           item["PrincipalType"]?.position)
      }
      entries.append(AssignmentEntry(account: account, permissionSetArn: arn, principalType: type, principalId: principal))
    }
    let pairs = Set(entries.map { "\($0.account).\(AWSIdentifier.permissionSetID(ofArn: $0.permissionSetArn)!)" })
    let principals = Set(entries.map(\.principalId))
    var kind = name.command ?? command
    if name.command == nil, pairs.count > 1, principals.count == 1 { kind = .listAccountAssignmentsForPrincipal }
    if kind == .listAccountAssignmentsForPrincipal {
      let named = name.command == kind ? name.part(0, where: { !$0.isEmpty }) : nil
      guard let principal = named ?? (principals.count == 1 ? principals.first : nil) else {
        if principals.count > 1 {
          throw reader.error(.importConflict, "these assignments are of several principals; one file per `list-account-assignments-for-principal` call",
                             .root, json.position)
        }
        throw Recognition.needsName(reader, json, what: "which user or group it lists (it is empty)",
                                    name: "list-account-assignments-for-principal.PRINCIPAL-ID.json",
                                    explain: "PRINCIPAL-ID being the user's or group's identity-store ID")
      }
      if let other = entries.first(where: { $0.principalId != principal }) {
        throw reader.error(.importNameMismatch, "the file name says principal \(principal), but it lists an assignment of \(other.principalId)",
                           .root, json.position)
      }
      let list = AssignmentList(principal: principal, entries: entries)
      return (key(.listAccountAssignmentsForPrincipal, principal), .accountAssignments(list),
              "\(entries.count.counted("assignment")) of principal \(principal)")
    }
    let namedAccount = name.command == kind ? name.part(0, where: AWSIdentifier.isAccount) : nil
    let namedSet = name.command == kind ? name.part(1, where: AWSIdentifier.isPermissionSetID) : nil
    if pairs.count > 1 {
      throw reader.error(.importConflict,
                         "these assignments are of several accounts or permission sets; one file per `list-account-assignments` call",
                         .root, json.position)
    }
    let content = pairs.first.map { $0.split(separator: ".").map(String.init) }
    guard let account = namedAccount ?? content?[0], let set = namedSet ?? content?[1] else {
      throw Recognition.needsName(reader, json, what: "which account and permission set it lists (it is empty)",
                                  name: "list-account-assignments.ACCOUNT-ID.PS-ID.json",
                                  explain: "ACCOUNT-ID being the 12-digit account ID and PS-ID the last part of the permission set's ARN (`ps-…`)")
    }
    if let content, content != [account, set] {
      throw reader.error(.importNameMismatch,
                         "the file name says account \(account) and permission set \(set), but it lists assignments of account \(content[0]) and \(content[1])",
                         .root, json.position)
    }
    let list = AssignmentList(account: account, permissionSet: set, entries: entries)
    return (key(.listAccountAssignments, account, set), .accountAssignments(list),
            "\(entries.count.counted("assignment")) in account \(account) of \(set)")
  }

  private static func accessControl(_ json: JSONValue, reader: ExportReader) throws(InputError) -> Read {
    let key = ExportCommand.describeAccessControlAttributes.rawValue
    guard let configuration = json["InstanceAccessControlAttributeConfiguration"] else {
      return (key, .accessControl(nil), "no attributes for access control")
    }
    let at = JSONPath.root.appending("InstanceAccessControlAttributeConfiguration")
    try reader.object(configuration, "the configuration", at: at)
    let attributes = try reader.objects(configuration, "AccessControlAttributes", "an attribute", at: at)
    for (attribute, path) in attributes {
      _ = try reader.string(attribute, "Key", at: path)
      guard let value = try reader.member(attribute, "Value", at: path, required: true) else { continue }
      try reader.object(value, "`Value`", at: path.appending("Value"))
      _ = try reader.strings(value, "Source", at: path.appending("Value"))
    }
    do {
      _ = try AccessControlConfiguration(json: Array(json.output.rendered().utf8), file: reader.file)
    } catch {
      throw reader.error(.importWrongType, error.message, error.jsonPath ?? .root, error.position)
    }
    return (key, .accessControl(json.output), "\(attributes.count.counted("attribute")) for access control")
  }
}
