import IAMIdentityCenter
import IAMPolicy

/// Reads `terraform show -json` output (Terraform's JSON output format, `format_version` 1.x) of a plan or of a
/// state, and turns the AWS provider's IAM Identity Center, Identity Store and Organizations resources into
/// ``ModelledResource``s.
///
/// A plan gives both sides: `before` holds each resource change's `before` value, `after` its `after` value, with
/// the resources the plan deletes or replaces taken out first. An attribute that `after_unknown` marks is followed
/// through the plan's `configuration` to the resource it references when there is one (a permission set the plan
/// creates), and is left open otherwise. A state gives one side, `after`.
public enum TerraformReader {
  /// The resource types read; any other resource is listed in ``OrganizationChange/unmodelled``.
  public static let modelledTypes: Set<String> = [
    "aws_ssoadmin_permission_set", "aws_ssoadmin_managed_policy_attachment",
    "aws_ssoadmin_customer_managed_policy_attachment",
    "aws_ssoadmin_permission_set_inline_policy", "aws_ssoadmin_permissions_boundary_attachment",
    "aws_ssoadmin_account_assignment", "aws_identitystore_user", "aws_identitystore_group",
    "aws_identitystore_group_membership", "aws_organizations_policy", "aws_organizations_policy_attachment",
    "aws_organizations_account", "aws_organizations_organizational_unit",
    "aws_iam_role", "aws_iam_policy", "aws_iam_role_policy_attachment", "aws_iam_role_policy",
  ]

  /// Whether a JSON document looks like `terraform show -json` output (it has `format_version` and plan or state
  /// members).
  public static func isTerraform(_ json: JSONValue) -> Bool {
    json["format_version"] != nil
      && (json["resource_changes"] != nil || json["planned_values"] != nil || json["values"] != nil
        || json["terraform_version"] != nil)
  }

  /// Whether the document is a plan (rather than a state).
  public static func isPlan(_ json: JSONValue) -> Bool {
    json["resource_changes"] != nil || json["planned_values"] != nil
  }

  /// Reads a plan or a state.
  ///
  /// - Parameters:
  ///   - account: the account of IAM resources whose account neither their ARN, the resource they name, nor their
  ///     provider configuration (`assume_role` role ARN, a single `allowed_account_ids`) tells.
  /// - Throws: ``InputError`` when the document is not `terraform show -json` output of a major version this
  ///   iamsim reads, or when a modelled resource lacks what it needs, naming the JSON path and line:column.
  public static func read(_ json: JSONValue, file: String, account: String? = nil) throws(InputError)
    -> OrganizationChange
  {
    var reader = Reading(file: file)
    reader.defaultAccount = account
    try reader.checkVersion(json)
    if isPlan(json) { reader.plan(json) } else { reader.state(json) }
    guard !reader.diagnostics.containsErrors else { throw InputError(reader.diagnostics) }
    return reader.change
  }
}

private struct Reading {
  let file: String
  var change = OrganizationChange()
  var diagnostics: [Diagnostic] = []
  /// By resource address (module path included, instance key left out): each attribute's references.
  var references: [String: [String: [String]]] = [:]
  /// Every managed resource address of the plan, instance keys included.
  var addresses: [String: String] = [:]
  /// Whether a state is read (every attribute is what the account holds) rather than a plan.
  var isState = false
  /// The account given on the command line for IAM resources nothing else places.
  var defaultAccount: String?
  /// By configuration address: the provider configuration's key (`aws`, `aws.prod`, `module.x:aws`).
  var providerKeys: [String: String] = [:]
  /// By provider configuration key: the account it works in, when its configuration fixes one.
  var providerAccounts: [String: String] = [:]
  /// By resource address: the values of IAM resources (after, else before), to place what names them.
  var iamValues: [String: (type: String, values: JSONValue)] = [:]

  init(file: String) { self.file = file }

  mutating func error(_ message: String, _ path: JSONPath, _ position: SourcePosition?) {
    diagnostics.append(Diagnostic(.changeFormat, .error, message, file: file, path: path, position: position))
  }

  func checkVersion(_ json: JSONValue) throws(InputError) {
    guard json.members != nil, let version = json["format_version"] else {
      throw InputError(
        .changeFormat, "this is not `terraform show -json` output (no `format_version`)", file: file,
        position: json.position)
    }
    guard let text = version.stringValue, text.split(separator: ".").first == "1" else {
      throw InputError(
        .changeFormat,
        "Terraform's JSON format version \(version.stringValue ?? version.typeName) is not one this iamsim reads (1.x)",
        file: file, path: JSONPath.root.appending("format_version"), position: version.position)
    }
  }

  // MARK: - Plan

  mutating func plan(_ json: JSONValue) {
    // A plan that errored, or that Terraform says is incomplete, does not say what the after state is.
    if case .bool(true) = json["errored"]?.kind {
      error("the plan errored: its planned values are incomplete; fix the plan first", JSONPath.root.appending("errored"),
            json["errored"]?.position)
    }
    if case .bool(false) = json["complete"]?.kind {
      error("the plan is not complete (it defers changes to a later plan): what it leaves out cannot be reviewed",
            JSONPath.root.appending("complete"), json["complete"]?.position)
    }
    if let value = json["resource_changes"], value.elements == nil, value.kind != .null {
      error("`resource_changes` must be an array, not \(value.typeName)", JSONPath.root.appending("resource_changes"),
            value.position)
    }
    if let configuration = json["configuration"]?["root_module"] { collectReferences(configuration, prefix: "") }
    for provider in json["configuration"]?["provider_config"]?.members ?? [] {
      if let account = Self.account(ofProvider: provider.value) { providerAccounts[provider.key] = account }
    }
    let changes = json["resource_changes"]?.elements ?? []
    for change in changes {
      if let address = change["address"]?.stringValue, change["mode"]?.stringValue != "data" {
        addresses[address] = change["type"]?.stringValue ?? ""
        let values = [change["change"]?["after"], change["change"]?["before"]].compactMap { $0 }.first {
          $0.kind != .null
        }
        noteIAM(address, change["type"]?.stringValue, values)
      }
    }
    // Data sources (read at plan time) join identifiers to names.
    if let prior = json["prior_state"]?["values"]?["root_module"] {
      for (item, mode) in module(
        prior, at: JSONPath.root.appending("prior_state").appending("values").appending("root_module"))
      where mode == "data" {
        change.known.append(item)
      }
    }
    for (index, resourceChange) in changes.enumerated() {
      let path = JSONPath.root.appending("resource_changes").appending(index)
      guard let address = resourceChange["address"]?.stringValue, let type = resourceChange["type"]?.stringValue,
        let body = resourceChange["change"], let actions = body["actions"]?.elements?.compactMap(\.stringValue)
      else {
        error("a resource change needs `address`, `type` and `change.actions`", path, resourceChange.position)
        continue
      }
      let mode = resourceChange["mode"]?.stringValue ?? "managed"
      // `forget` takes a resource out of the state without destroying it: it still exists.
      let changes = actions != ["no-op"] && actions != ["read"] && actions != ["forget"]
      let origin = ResourceOrigin(
        address: address, type: type, file: file, path: path, position: resourceChange.position)
      guard TerraformReader.modelledTypes.contains(type) || mode == "data" else {
        if changes && mode == "managed" { change.unmodelled.append(origin) }
        continue
      }
      let unknown = body["after_unknown"] ?? JSONValue(.object([]))
      let before = body["before"].flatMap { $0.kind == .null ? nil : $0 }
      let after = body["after"].flatMap { $0.kind == .null ? nil : $0 }
      let beforeItem = before.flatMap {
        resource(
          type, address: address, values: $0, unknown: JSONValue(.object([])),
          path: path.appending("change").appending("before"))
      }
      let afterItem = after.flatMap {
        resource(
          type, address: address, values: $0, unknown: unknown, path: path.appending("change").appending("after"))
      }
      if mode == "data" {
        if let afterItem { change.known.append(afterItem) }
        continue
      }
      if let beforeItem {
        change.before.present.append(beforeItem)
        if changes { change.after.absent.append(beforeItem) }
      }
      if let afterItem {
        change.after.present.append(afterItem)
      } else if !changes, let beforeItem {
        change.after.present.append(beforeItem)
      }
    }
  }

  /// Gathers each configured resource's attribute references, module calls included.
  mutating func collectReferences(_ module: JSONValue, prefix: String) {
    for resource in module["resources"]?.elements ?? [] {
      guard let address = resource["address"]?.stringValue, let expressions = resource["expressions"]?.members else {
        continue
      }
      var byAttribute: [String: [String]] = [:]
      for member in expressions {
        byAttribute[member.key] = member.value["references"]?.elements?.compactMap(\.stringValue) ?? []
      }
      references[prefix + address] = byAttribute
      if let key = resource["provider_config_key"]?.stringValue { providerKeys[prefix + address] = key }
    }
    for call in module["module_calls"]?.members ?? [] {
      if let inner = call.value["module"] { collectReferences(inner, prefix: prefix + "module.\(call.key).") }
    }
  }

  // MARK: - State

  /// Keeps an IAM resource's values, so that what names it can be placed in its account.
  mutating func noteIAM(_ address: String, _ type: String?, _ values: JSONValue?) {
    guard let type, type.hasPrefix("aws_iam_"), let values else { return }
    iamValues[address] = (type, values)
  }

  /// The account a provider configuration works in: its `assume_role` role's account, else its one
  /// `allowed_account_ids`, when the configuration gives them as constants.
  static func account(ofProvider provider: JSONValue) -> String? {
    let expressions = provider["expressions"]
    let assumeRole = expressions?["assume_role"]
    let roleARN = (assumeRole?.elements?.first ?? assumeRole)?["role_arn"]?["constant_value"]?.stringValue
    if let roleARN, let account = ARN(roleARN)?.account, StrictReader.isAccountID(account) { return account }
    if let allowed = expressions?["allowed_account_ids"]?["constant_value"]?.elements, allowed.count == 1,
      let account = allowed[0].stringValue, StrictReader.isAccountID(account)
    {
      return account
    }
    return nil
  }

  mutating func state(_ json: JSONValue) {
    isState = true
    // An empty state has no `values`.
    guard let values = json["values"], values.kind != .null else { return }
    guard let root = values["root_module"], root.members != nil else {
      error("a state's `values` needs a `root_module` object", JSONPath.root.appending("values"), values.position)
      return
    }
    func collect(_ module: JSONValue) {
      for resource in module["resources"]?.elements ?? [] {
        if let address = resource["address"]?.stringValue {
          noteIAM(address, resource["type"]?.stringValue, resource["values"])
        }
      }
      for child in module["child_modules"]?.elements ?? [] { collect(child) }
    }
    collect(root)
    for (item, mode) in module(
      root, at: JSONPath.root.appending("values").appending("root_module"), listUnmodelled: true)
    {
      if mode == "data" { change.known.append(item) } else { change.after.present.append(item) }
    }
  }

  /// Every modelled resource of a state module and its child modules.
  /// Unmodelled resources are listed from a state's values, not from a plan's prior state (whose changes list them).
  mutating func module(_ module: JSONValue, at path: JSONPath, listUnmodelled: Bool = false) -> [(ChangeItem, String)] {
    var found: [(ChangeItem, String)] = []
    for (index, resource) in (module["resources"]?.elements ?? []).enumerated() {
      let here = path.appending("resources").appending(index)
      guard let address = resource["address"]?.stringValue, let type = resource["type"]?.stringValue else {
        error("a resource needs `address` and `type`", here, resource.position)
        continue
      }
      let mode = resource["mode"]?.stringValue ?? "managed"
      guard TerraformReader.modelledTypes.contains(type), let values = resource["values"] else {
        if listUnmodelled && mode == "managed" && !TerraformReader.modelledTypes.contains(type) {
          change.unmodelled.append(
            ResourceOrigin(address: address, type: type, file: file, path: here, position: resource.position))
        }
        continue
      }
      if let item = self.resource(
        type, address: address, values: values, unknown: JSONValue(.object([])), path: here.appending("values"))
      {
        found.append((item, mode))
      }
    }
    for (index, child) in (module["child_modules"]?.elements ?? []).enumerated() {
      found += self.module(child, at: path.appending("child_modules").appending(index), listUnmodelled: listUnmodelled)
    }
    return found
  }

  // MARK: - Resources

  /// One resource's values as a modelled resource; `nil` after reporting what it lacks.
  mutating func resource(_ type: String, address: String, values: JSONValue, unknown: JSONValue, path: JSONPath)
    -> ChangeItem?
  {
    let origin = ResourceOrigin(address: address, type: type, file: file, path: path, position: values.position)
    var attributes = Attributes(
      values: values, unknown: unknown, address: address, references: references[Self.configAddress(address)] ?? [:],
      addresses: addresses, path: path)
    let resource: ModelledResource?
    switch type {
    case "aws_ssoadmin_permission_set":
      resource = attributes.required("name").map { name in
        .permissionSet(
          name: name, arn: attributes.planned("arn") ?? .unknown("arn of \(address)"),
          sessionDuration: attributes.planned("session_duration")?.value, policies: nil)
      }
    case "aws_ssoadmin_managed_policy_attachment":
      resource = .managedPolicyAttachment(
        permissionSet: attributes.reference("permission_set_arn"),
        arn: attributes.planned("managed_policy_arn") ?? .unknown("managed_policy_arn of \(address)"))
    case "aws_ssoadmin_customer_managed_policy_attachment":
      let reference = attributes.block("customer_managed_policy_reference")
      resource = .customerManagedPolicyAttachment(
        permissionSet: attributes.reference("permission_set_arn"),
        reference: reference.map { block in
          block.unknown
            ? .unknown("customer_managed_policy_reference of \(address)")
            : .known(
              CustomerManagedPolicyReference(
                name: block.values["name"]?.stringValue ?? "", path: block.values["path"]?.stringValue ?? "/"))
        } ?? .unknown("customer_managed_policy_reference of \(address)"))
    case "aws_ssoadmin_permission_set_inline_policy":
      resource = .inlinePolicy(
        permissionSet: attributes.reference("permission_set_arn"),
        document: attributes.plannedJSON("inline_policy"))
    case "aws_ssoadmin_permissions_boundary_attachment":
      let boundary: Planned<PermissionSet.Boundary>
      if let block = attributes.block("permissions_boundary"), !block.unknown {
        if let arn = block.values["managed_policy_arn"]?.stringValue, !arn.isEmpty {
          boundary = .known(.awsManaged(arn))
        } else if let reference = block.values["customer_managed_policy_reference"]?.elements?.first,
          let name = reference["name"]?.stringValue
        {
          boundary = .known(
            .customerManaged(CustomerManagedPolicyReference(name: name, path: reference["path"]?.stringValue ?? "/")))
        } else {
          boundary = .unknown("permissions_boundary of \(address)")
        }
      } else {
        boundary = .unknown("permissions_boundary of \(address)")
      }
      resource = .permissionsBoundary(permissionSet: attributes.reference("permission_set_arn"), boundary: boundary)
    case "aws_ssoadmin_account_assignment":
      let principalType = attributes.required("principal_type")
      if let principalType, PrincipalType(rawValue: principalType) == nil {
        attributes.problem("`principal_type` must be USER or GROUP, not `\(principalType)`", "principal_type")
      }
      if let target = attributes.planned("target_type")?.value, target != "AWS_ACCOUNT" {
        attributes.problem("`target_type` must be AWS_ACCOUNT, not `\(target)`", "target_type")
      }
      resource = principalType.flatMap(PrincipalType.init(rawValue:)).map { principalType in
        .assignment(
          permissionSet: attributes.reference("permission_set_arn"), principalType: principalType,
          principal: attributes.reference("principal_id"), account: attributes.reference("target_id"))
      }
    case "aws_identitystore_user":
      var extra: [String: String] = [:]
      if let display = attributes.planned("display_name")?.value { extra["displayName"] = display }
      if let email = values["emails"]?.elements?.first?["value"]?.stringValue {
        extra["emails[primary eq true].value"] = email
      }
      resource = attributes.required("user_name").map { name in
        .user(id: attributes.planned("user_id") ?? .unknown("user_id of \(address)"), userName: name, attributes: extra)
      }
    case "aws_identitystore_group":
      resource = attributes.required("display_name").map { name in
        .group(id: attributes.planned("group_id") ?? .unknown("group_id of \(address)"), displayName: name)
      }
    case "aws_identitystore_group_membership":
      resource = .membership(group: attributes.reference("group_id"), member: attributes.reference("member_id"))
    case "aws_organizations_policy":
      let policyType = attributes.planned("type")?.value ?? "SERVICE_CONTROL_POLICY"
      guard ControlPolicyType(rawValue: policyType) != nil else {
        // Tag, backup, AI opt-out and other policy types grant and deny nothing.
        change.unmodelled.append(origin)
        return nil
      }
      resource = attributes.required("name").map { name in
        .controlPolicy(
          id: attributes.planned("id") ?? .unknown("id of \(address)"), name: name, type: policyType,
          content: attributes.plannedJSON("content"), targets: nil)
      }
    case "aws_organizations_policy_attachment":
      resource = .controlPolicyAttachment(
        policy: attributes.reference("policy_id"), target: attributes.reference("target_id"))
    case "aws_organizations_account":
      let parent =
        values["parent_id"].flatMap { $0.kind == .null ? nil : $0 } != nil || attributes.isUnknown("parent_id")
        ? attributes.reference("parent_id") : nil
      resource = attributes.required("name").map { name in
        .account(id: attributes.planned("id") ?? .unknown("id of \(address)"), name: name, parent: parent)
      }
    case "aws_organizations_organizational_unit":
      resource = attributes.required("name").map { name in
        .organizationalUnit(
          id: attributes.planned("id") ?? .unknown("id of \(address)"), name: name,
          parent: attributes.reference("parent_id"))
      }
    case "aws_iam_role":
      let account = iamAccount(address, values, &attributes, via: [])
      let name = attributes.required("name")
      resource = account.flatMap { account in
        name.map { name in
          let boundary = attributes.planned("permissions_boundary").map { planned -> EntityReference in
            planned.value.map { .identifier($0) } ?? attributes.reference("permissions_boundary")
          }
          // The provider treats `managed_policy_arns` and `inline_policy` as exclusive only where they are
          // configured; a state's values are what the role holds, where the state records them.
          let isState = self.isState
          let holds = { (key: String) in
            attributes.isConfigured(key) || (isState && values[key]?.elements != nil)
          }
          var policies: RolePolicies?
          if holds("managed_policy_arns") || holds("inline_policy") {
            var held = RolePolicies()
            if holds("managed_policy_arns") {
              held.managed =
                attributes.isUnknown("managed_policy_arns")
                ? [.unknown("managed_policy_arns of \(address)")]
                : (values["managed_policy_arns"]?.elements ?? []).compactMap(\.stringValue).map { .identifier($0) }
            }
            if holds("inline_policy") {
              held.inline = (values["inline_policy"]?.elements ?? []).compactMap { block in
                guard let policyName = block["name"]?.stringValue, !policyName.isEmpty else { return nil }
                let document = block["policy"].flatMap { $0.stringValue?.isEmpty == false ? $0 : nil }
                return InlineRolePolicy(
                  name: policyName,
                  document: document.map { .known($0) } ?? .unknown("inline_policy \(policyName) of \(address)"))
              }
              if Attributes.containsTrue(unknown["inline_policy"] ?? JSONValue(.null)) {
                held.inline!.append(
                  InlineRolePolicy(name: "(unknown)", document: .unknown("inline_policy of \(address)")))
              }
            }
            policies = held
          }
          return .iamRole(
            account: account, name: name, path: attributes.planned("path")?.value ?? "/",
            trustPolicy: attributes.plannedJSON("assume_role_policy"), boundary: boundary,
            tags: attributes.isUnknown("tags_all") || attributes.isUnknown("tags")
              ? .unknown("tags of \(address)") : .known(attributes.tags()),
            policies: policies)
        }
      }
    case "aws_iam_policy":
      let account = iamAccount(address, values, &attributes, via: [])
      let name = attributes.required("name")
      resource = account.flatMap { account in
        name.map { name in
          .iamPolicy(
            account: account, name: name, path: attributes.planned("path")?.value ?? "/",
            document: attributes.plannedJSON("policy"))
        }
      }
    case "aws_iam_role_policy_attachment":
      resource = iamAccount(address, values, &attributes, via: ["role", "policy_arn"]).map { account in
        .iamRolePolicyAttachment(
          account: account, role: attributes.reference("role"), policy: attributes.reference("policy_arn"))
      }
    case "aws_iam_role_policy":
      let account = iamAccount(address, values, &attributes, via: ["role"])
      let name = attributes.required("name")
      resource = account.flatMap { account in
        name.map { name in
          .iamRolePolicy(
            account: account, role: attributes.reference("role"), name: name,
            document: attributes.plannedJSON("policy"))
        }
      }
    default:
      resource = nil
    }
    diagnostics += attributes.diagnostics.map {
      var moved = $0
      moved.file = file
      return moved
    }
    return resource.map { ChangeItem(origin: origin, resource: $0) }
  }

  /// The account of an IAM resource: its own ARN's (or, for an attachment, its customer managed policy's), else
  /// that of the IAM resource of the change an attribute in `via` names, else its provider configuration's, else
  /// the one given on the command line; for what names a role, `""` when none of these tells (the organization's
  /// one account with a role of that name, when the change is laid). `nil` after reporting that none tells.
  mutating func iamAccount(_ address: String, _ values: JSONValue, _ attributes: inout Attributes, via: [String])
    -> String?
  {
    func fromARN(_ text: String?) -> String? {
      guard let text, let account = ARN(text)?.account, StrictReader.isAccountID(account) else { return nil }
      return account
    }
    func own(_ address: String, _ values: JSONValue?) -> String? {
      fromARN(values?["arn"]?.stringValue) ?? providerKeys[Self.configAddress(address)].flatMap { providerAccounts[$0] }
    }
    if !attributes.isUnknown("arn"), let account = fromARN(values["arn"]?.stringValue) { return account }
    for key in via {
      if !attributes.isUnknown(key), let account = fromARN(values[key]?.stringValue) { return account }
      switch attributes.reference(key) {
      case .resource(let target):
        if let account = own(target, iamValues[target]?.values) { return account }
      case .identifier(let name) where key == "role":
        // A role named literally: the one role of the change with that name, when there is one.
        let roles = iamValues.filter {
          $0.value.type == "aws_iam_role" && $0.value.values["name"]?.stringValue?.lowercased() == name.lowercased()
        }
        let accounts = Set(roles.compactMap { own($0.key, $0.value.values) })
        if accounts.count == 1, let account = accounts.first { return account }
      default:
        break
      }
    }
    if let account = providerKeys[Self.configAddress(address)].flatMap({ providerAccounts[$0] }) { return account }
    if let defaultAccount { return defaultAccount }
    // An attachment or inline policy of a role the organization holds: the account whose role it is, found when
    // the change is laid (``Layering``).
    if via.contains("role") { return "" }
    attributes.problem(
      "the account of this IAM resource is not known: its ARN is known only after apply, no resource it names and no provider configuration (`assume_role` role ARN, one `allowed_account_ids`) tells it; give it with --account ID",
      "arn")
    return nil
  }

  /// A resource's address in the configuration: without instance keys (`aws_x.y["a"]` → `aws_x.y`).
  static func configAddress(_ address: String) -> String {
    var result = ""
    var depth = 0
    for character in address {
      if character == "[" {
        depth += 1
        continue
      }
      if character == "]" {
        depth -= 1
        continue
      }
      if depth == 0 { result.append(character) }
    }
    return result
  }
}

/// A resource's attribute values, with what is unknown and what the configuration references.
private struct Attributes {
  let values: JSONValue
  let unknown: JSONValue
  let address: String
  let references: [String: [String]]
  let addresses: [String: String]
  let path: JSONPath
  var diagnostics: [Diagnostic] = []

  init(
    values: JSONValue, unknown: JSONValue, address: String, references: [String: [String]], addresses: [String: String],
    path: JSONPath
  ) {
    self.values = values
    self.unknown = unknown
    self.address = address
    self.references = references
    self.addresses = addresses
    self.path = path
  }

  func isUnknown(_ key: String) -> Bool {
    if case .bool(true) = unknown[key]?.kind { return true }
    return false
  }

  /// Whether the configuration sets the attribute (an expression or a block for it).
  func isConfigured(_ key: String) -> Bool { references[key] != nil }

  /// The resource's tags: `tags_all` (which holds the provider's default tags too) when known, else `tags`.
  func tags() -> [IAMTag] {
    let map = [values["tags_all"], values["tags"]].compactMap { $0?.members }.first ?? []
    return map.compactMap { member in member.value.stringValue.map { IAMTag(key: member.key, value: $0) } }
      .sorted { $0.key < $1.key }
  }

  mutating func problem(_ message: String, _ key: String) {
    diagnostics.append(
      Diagnostic(
        .changeFormat, .error, "\(address): \(message)", path: path.appending(key),
        position: values[key]?.position ?? values.position))
  }

  /// A string attribute the resource cannot do without (a name).
  mutating func required(_ key: String) -> String? {
    if let text = values[key]?.stringValue, !text.isEmpty { return text }
    if isUnknown(key) {
      problem("`\(key)` is known only after apply, and iamsim needs it to tell what the resource is", key)
    } else {
      problem("`\(key)` is missing", key)
    }
    return nil
  }

  /// A string attribute, or unknown; `nil` when absent.
  func planned(_ key: String) -> Planned<String>? {
    if isUnknown(key) { return .unknown("\(key) of \(address)") }
    guard let text = values[key]?.stringValue, !text.isEmpty else { return nil }
    return .known(text)
  }

  /// A JSON document attribute (a policy as a string), or unknown.
  func plannedJSON(_ key: String) -> Planned<JSONValue> {
    if isUnknown(key) { return .unknown("\(key) of \(address)") }
    guard let value = values[key], value.kind != .null else { return .unknown("\(key) of \(address) (absent)") }
    return .known(value)
  }

  /// The first element of a nested block, and whether Terraform marks it (or any of it) unknown.
  func block(_ key: String) -> (values: JSONValue, unknown: Bool)? {
    let unknownBlock = unknown[key]
    var isUnknown = false
    if case .bool(true) = unknownBlock?.kind { isUnknown = true }
    if let first = unknownBlock?.elements?.first, Self.containsTrue(first) { isUnknown = true }
    guard let first = values[key]?.elements?.first else { return isUnknown ? (JSONValue(.object([])), true) : nil }
    return (first, isUnknown)
  }

  static func containsTrue(_ value: JSONValue) -> Bool {
    switch value.kind {
    case .bool(let flag): flag
    case .array(let elements): elements.contains(where: containsTrue)
    case .object(let members): members.contains { containsTrue($0.value) }
    default: false
    }
  }

  /// An identifier attribute: known, or followed to the resource of the plan the configuration references.
  func reference(_ key: String) -> EntityReference {
    if !isUnknown(key), let text = values[key]?.stringValue, !text.isEmpty { return .identifier(text) }
    let prefix = Self.modulePrefix(address)
    // The referring instance's own key, which `[each.key]` and `[count.index]` stand for.
    let ownKey = address.hasSuffix("]") ? address.lastIndex(of: "[").map { String(address[$0...]) } : nil
    var exact: Set<String> = []
    var loose: Set<String> = []
    for reference in references[key] ?? [] {
      // `aws_ssoadmin_permission_set.dev.arn`, `aws_ssoadmin_permission_set.dev` and
      // `aws_identitystore_user.this[each.key].user_id` all name a resource (instance).
      guard reference.hasPrefix("aws_"), let firstDot = reference.firstIndex(of: ".") else { continue }
      let type = String(reference[..<firstDot])
      let rest = reference[reference.index(after: firstDot)...]
      let name = String(rest.prefix { $0 != "." && $0 != "[" })
      var instance = prefix + type + "." + name
      let afterName = rest.dropFirst(name.count)
      if afterName.hasPrefix("[") {
        guard let close = afterName.firstIndex(of: "]") else { continue }
        let index = String(afterName[...close])
        if index == "[each.key]" || index == "[count.index]" {
          guard let ownKey else { continue }
          instance += ownKey
        } else {
          instance += index
        }
        if addresses[instance] != nil { exact.insert(instance) }
        continue
      }
      if addresses[instance] != nil {
        exact.insert(instance)
      } else {
        let matches = addresses.keys.filter {
          $0.hasPrefix(prefix) && Reading.configAddress($0) == Reading.configAddress(instance)
        }
        if matches.count == 1 { loose.insert(matches[0]) } else if !matches.isEmpty { loose.insert("\u{1}ambiguous") }
      }
    }
    if exact.count == 1, let target = exact.first { return .resource(target) }
    if exact.isEmpty, loose.count == 1, let target = loose.first, !target.hasPrefix("\u{1}") {
      return .resource(target)
    }
    return .unknown("\(key) of \(address)")
  }

  static func stripKey(_ part: String) -> String {
    part.split(separator: "[", maxSplits: 1).first.map(String.init) ?? part
  }

  /// `module.a.module.b.` of `module.a.module.b.aws_x.y`.
  static func modulePrefix(_ address: String) -> String {
    var prefix = ""
    var rest = Substring(address)
    while rest.hasPrefix("module.") {
      let afterModule = rest.dropFirst("module.".count)
      guard let dot = afterModule.firstIndex(of: ".") else { break }
      prefix += "module." + afterModule[..<dot] + "."
      rest = afterModule[afterModule.index(after: dot)...]
    }
    return prefix
  }
}
