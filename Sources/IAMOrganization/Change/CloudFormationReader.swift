import IAMIdentityCenter
import IAMPolicy
import IAMYAML

/// Reads a CloudFormation template (as JSON; YAML templates are read into the same JSON form first) and turns
/// its IAM Identity Center, Identity Store and Organizations resources into ``ModelledResource``s: the `after`
/// side of a change whose `before` is the organization the template deploys into.
///
/// Intrinsic functions resolved: `Ref` (to parameters, pseudo parameters and modelled resources), `Fn::GetAtt` on
/// modelled resources (`PermissionSetArn`, `GroupId`, `Id`, `Arn`, `MembershipId`), `Fn::Sub` and `Fn::Join`.
/// Parameters come from the command line, else from the template's `Default`. Anything else that cannot be
/// resolved (another function, a condition, a parameter without a value, a resource reference inside a string)
/// is an error naming its JSON path and line:column: a template is never read by guessing.
public enum CloudFormationReader {
  /// The resource types read; any other resource is listed in ``OrganizationChange/unmodelled``.
  public static let modelledTypes: Set<String> = [
    "AWS::SSO::PermissionSet", "AWS::SSO::Assignment", "AWS::Organizations::Policy", "AWS::IdentityStore::Group",
    "AWS::IdentityStore::GroupMembership", "AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy",
    "AWS::IAM::Policy",
  ]

  /// Whether a JSON document looks like a CloudFormation template (it has `Resources` or `AWSTemplateFormatVersion`).
  public static func isTemplate(_ json: JSONValue) -> Bool {
    json["AWSTemplateFormatVersion"] != nil || json["Resources"]?.members != nil
  }

  /// Reads a template file's text into its JSON form: JSON when it starts with `{`, YAML otherwise (the short-form
  /// tags `!Ref`, `!Sub`, `!GetAtt`, … turned into their long form by ``CloudFormationYAML``), positions kept.
  ///
  /// - Throws: ``InputError`` with the line and column of a syntax error.
  public static func parse(_ bytes: [UInt8], file: String) throws(InputError) -> JSONValue {
    let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
    if first == UInt8(ascii: "{") { return try InputFile.parseJSON(bytes, file: file) }
    do {
      return try CloudFormationYAML.json(reading: bytes)
    } catch {
      throw InputError(.yamlSyntax, error.message, file: file, path: error.path ?? .root, position: error.position)
    }
  }

  /// Reads a template.
  ///
  /// - Parameters:
  ///   - parameters: parameter values given on the command line, by name; pseudo parameters (`AWS::AccountId`,
  ///     `AWS::Region`) may be given too.
  /// - Throws: ``InputError`` with every unresolvable value, each with its JSON path and line:column.
  public static func read(_ json: JSONValue, file: String, parameters: [String: String] = [:]) throws(InputError)
    -> OrganizationChange
  {
    var template = Template(json: json, file: file, given: parameters)
    template.read()
    guard !template.diagnostics.containsErrors else { throw InputError(template.diagnostics) }
    return template.change
  }
}

/// A value resolved from a template: JSON, or a reference to a resource of the template (its identifier, known
/// only once the stack is created).
private enum Resolved {
  case json(JSONValue)
  case resource(String)
  /// `AWS::NoValue`: the property is removed.
  case none
}

private struct Template {
  let json: JSONValue
  let file: String
  let given: [String: String]
  var change = OrganizationChange()
  var diagnostics: [Diagnostic] = []
  var resourceTypes: [String: String] = [:]
  /// IAM resources whose identifier is being resolved (a name that refers to itself is not followed).
  var resolving: Set<String> = []

  init(json: JSONValue, file: String, given: [String: String]) {
    self.json = json
    self.file = file
    self.given = given
  }

  mutating func error(_ message: String, _ path: JSONPath, _ position: SourcePosition?) {
    diagnostics.append(Diagnostic(.changeUnresolvable, .error, message, file: file, path: path, position: position))
  }

  mutating func read() {
    guard let resources = json["Resources"]?.members else {
      error("a CloudFormation template needs a `Resources` object", .root, json.position)
      return
    }
    let declared = Set((json["Parameters"]?.members ?? []).map(\.key))
    for name in given.keys.sorted() where !declared.contains(name) && !name.hasPrefix("AWS::") {
      error(
        "--parameter \(name): the template declares no parameter `\(name)`\(declared.isEmpty ? "" : " (it declares \(declared.sorted().joined(separator: ", ")))")",
        JSONPath.root.appending("Parameters"), json["Parameters"]?.position ?? json.position)
    }
    for member in resources { resourceTypes[member.key] = member.value["Type"]?.stringValue ?? "" }
    for member in resources {
      let path = JSONPath.root.appending("Resources").appending(member.key)
      let resource = member.value
      guard let type = resource["Type"]?.stringValue else {
        error("the resource `\(member.key)` needs a `Type`", path, resource.position)
        continue
      }
      let origin = ResourceOrigin(address: member.key, type: type, file: file, path: path, position: resource.position)
      guard CloudFormationReader.modelledTypes.contains(type) else {
        change.unmodelled.append(origin)
        continue
      }
      if let condition = resource["Condition"] {
        error(
          "the resource `\(member.key)` has a `Condition`; iamsim does not evaluate template conditions",
          path.appending("Condition"),
          condition.position)
        continue
      }
      let propertiesPath = path.appending("Properties")
      guard let properties = resource["Properties"] else {
        error("the resource `\(member.key)` needs `Properties`", path, resource.position)
        continue
      }
      if let item = self.item(type, origin: origin, properties: properties, at: propertiesPath) {
        change.after.present.append(item)
      }
    }
  }

  // MARK: - Resources

  mutating func item(_ type: String, origin: ResourceOrigin, properties: JSONValue, at path: JSONPath) -> ChangeItem? {
    let id = origin.address
    var resource: ModelledResource?
    switch type {
    case "AWS::SSO::PermissionSet":
      guard let name = string(properties, "Name", path, required: true) else { return nil }
      var policies = PermissionSetPolicies()
      for (index, value) in (list(properties, "ManagedPolicies", path) ?? []).enumerated() {
        if let arn = text(value, path.appending("ManagedPolicies").appending(index)) {
          policies.managed.append(.known(arn))
        }
      }
      for (index, value) in (list(properties, "CustomerManagedPolicyReferences", path) ?? []).enumerated() {
        let here = path.appending("CustomerManagedPolicyReferences").appending(index)
        if let name = string(value, "Name", here, required: true) {
          policies.customerManaged.append(
            CustomerManagedPolicyReference(name: name, path: string(value, "Path", here) ?? "/"))
        }
      }
      if let inline = properties["InlinePolicy"], let value = document(inline, path.appending("InlinePolicy")) {
        policies.inline = .known(value)
      }
      if let boundary = properties["PermissionsBoundary"] {
        let here = path.appending("PermissionsBoundary")
        if let arn = string(boundary, "ManagedPolicyArn", here) {
          policies.boundary = .known(.awsManaged(arn))
        } else if let reference = boundary["CustomerManagedPolicyReference"],
          let name = string(reference, "Name", here.appending("CustomerManagedPolicyReference"), required: true)
        {
          let policyPath = string(reference, "Path", here.appending("CustomerManagedPolicyReference")) ?? "/"
          policies.boundary = .known(.customerManaged(CustomerManagedPolicyReference(name: name, path: policyPath)))
        } else {
          error(
            "`PermissionsBoundary` needs `ManagedPolicyArn` or `CustomerManagedPolicyReference`", here,
            boundary.position)
        }
      }
      resource = .permissionSet(
        name: name, arn: .unknown("PermissionSetArn of \(id)"),
        sessionDuration: string(properties, "SessionDuration", path), policies: policies)
    case "AWS::SSO::Assignment":
      guard let principalType = string(properties, "PrincipalType", path, required: true) else { return nil }
      guard let type = PrincipalType(rawValue: principalType) else {
        error(
          "`PrincipalType` must be USER or GROUP, not `\(principalType)`", path.appending("PrincipalType"),
          properties["PrincipalType"]?.position)
        return nil
      }
      if let target = string(properties, "TargetType", path), target != "AWS_ACCOUNT" {
        error(
          "`TargetType` must be AWS_ACCOUNT, not `\(target)`", path.appending("TargetType"),
          properties["TargetType"]?.position)
      }
      guard let permissionSet = reference(properties, "PermissionSetArn", path),
        let principal = reference(properties, "PrincipalId", path),
        let account = reference(properties, "TargetId", path)
      else { return nil }
      resource = .assignment(permissionSet: permissionSet, principalType: type, principal: principal, account: account)
    case "AWS::Organizations::Policy":
      guard let name = string(properties, "Name", path, required: true),
        let policyType = string(properties, "Type", path, required: true)
      else { return nil }
      guard ControlPolicyType(rawValue: policyType) != nil else {
        change.unmodelled.append(origin)
        return nil
      }
      guard let content = properties["Content"] else {
        error("`Content` is missing", path, properties.position)
        return nil
      }
      guard let document = document(content, path.appending("Content")) else { return nil }
      var targets: [EntityReference] = []
      for (index, value) in (list(properties, "TargetIds", path) ?? []).enumerated() {
        let here = path.appending("TargetIds").appending(index)
        switch resolve(value, here) {
        case .json(let json)?:
          if let text = json.stringValue {
            targets.append(.identifier(text))
          } else {
            error("a target ID must be a string", here, value.position)
          }
        case .resource(let logical)?: targets.append(.resource(logical))
        case .none?, nil: break
        }
      }
      resource = .controlPolicy(
        id: .unknown("Id of \(id)"), name: name, type: policyType, content: .known(document), targets: targets)
    case "AWS::IdentityStore::Group":
      guard let name = string(properties, "DisplayName", path, required: true) else { return nil }
      resource = .group(id: .unknown("GroupId of \(id)"), displayName: name)
    case "AWS::IdentityStore::GroupMembership":
      guard let group = reference(properties, "GroupId", path) else { return nil }
      guard let member = properties["MemberId"], let user = reference(member, "UserId", path.appending("MemberId"))
      else {
        if properties["MemberId"] == nil { error("`MemberId` is missing", path, properties.position) }
        return nil
      }
      resource = .membership(group: group, member: user)
    case "AWS::IAM::Role":
      guard let account = account(origin, path),
        let trust = properties["AssumeRolePolicyDocument"].flatMap({
          document($0, path.appending("AssumeRolePolicyDocument"))
        })
      else {
        if properties["AssumeRolePolicyDocument"] == nil {
          error("`AssumeRolePolicyDocument` is missing", path, properties.position)
        }
        return nil
      }
      var policies = RolePolicies(managed: [], inline: [])
      for (index, value) in (properties["ManagedPolicyArns"]?.elements ?? []).enumerated() {
        if let reference = entity(value, path.appending("ManagedPolicyArns").appending(index)) {
          policies.managed!.append(reference)
        }
      }
      if let value = properties["ManagedPolicyArns"], value.elements == nil {
        error("`ManagedPolicyArns` must be a list", path.appending("ManagedPolicyArns"), value.position)
      }
      for (index, value) in (list(properties, "Policies", path) ?? []).enumerated() {
        let here = path.appending("Policies").appending(index)
        guard let name = string(value, "PolicyName", here, required: true) else { continue }
        guard let body = value["PolicyDocument"], let json = document(body, here.appending("PolicyDocument")) else {
          if value["PolicyDocument"] == nil { error("`PolicyDocument` is missing", here, value.position) }
          continue
        }
        policies.inline!.append(InlineRolePolicy(name: name, document: .known(json)))
      }
      let boundary = properties["PermissionsBoundary"].flatMap { entity($0, path.appending("PermissionsBoundary")) }
      var tags: [IAMTag] = []
      for (index, value) in (list(properties, "Tags", path) ?? []).enumerated() {
        let here = path.appending("Tags").appending(index)
        if let key = string(value, "Key", here, required: true), let tagValue = string(value, "Value", here, required: true) {
          tags.append(IAMTag(key: key, value: tagValue))
        }
      }
      resource = .iamRole(
        account: account, name: roleName(id, properties, path), path: string(properties, "Path", path) ?? "/",
        trustPolicy: .known(trust), boundary: boundary, tags: .known(tags), policies: policies)
    case "AWS::IAM::ManagedPolicy":
      guard let account = account(origin, path) else { return nil }
      guard let body = properties["PolicyDocument"], let json = document(body, path.appending("PolicyDocument")) else {
        if properties["PolicyDocument"] == nil { error("`PolicyDocument` is missing", path, properties.position) }
        return nil
      }
      for (index, value) in (list(properties, "Roles", path) ?? []).enumerated() {
        if let role = entity(value, path.appending("Roles").appending(index)) {
          change.after.present.append(
            ChangeItem(
              origin: origin, resource: .iamRolePolicyAttachment(account: account, role: role, policy: .resource(id))))
        }
      }
      if properties["Users"] != nil || properties["Groups"] != nil { change.unmodelled.append(origin) }
      resource = .iamPolicy(
        account: account, name: string(properties, "ManagedPolicyName", path) ?? id,
        path: string(properties, "Path", path) ?? "/", document: .known(json))
    case "AWS::IAM::RolePolicy", "AWS::IAM::Policy":
      guard let account = account(origin, path), let name = string(properties, "PolicyName", path, required: true)
      else { return nil }
      guard let body = properties["PolicyDocument"], let json = document(body, path.appending("PolicyDocument")) else {
        if properties["PolicyDocument"] == nil { error("`PolicyDocument` is missing", path, properties.position) }
        return nil
      }
      var roles: [EntityReference] = []
      if type == "AWS::IAM::RolePolicy" {
        guard let role = properties["RoleName"].flatMap({ entity($0, path.appending("RoleName")) }) else {
          if properties["RoleName"] == nil { error("`RoleName` is missing", path, properties.position) }
          return nil
        }
        roles = [role]
      } else {
        for (index, value) in (list(properties, "Roles", path) ?? []).enumerated() {
          if let role = entity(value, path.appending("Roles").appending(index)) { roles.append(role) }
        }
        if properties["Users"] != nil || properties["Groups"] != nil { change.unmodelled.append(origin) }
      }
      for role in roles {
        change.after.present.append(
          ChangeItem(
            origin: origin, resource: .iamRolePolicy(account: account, role: role, name: name, document: .known(json))))
      }
      return nil
    default:
      return nil
    }
    return resource.map { ChangeItem(origin: origin, resource: $0) }
  }

  /// The account the stack deploys into, for an IAM resource: the `AWS::AccountId` pseudo parameter.
  mutating func account(_ origin: ResourceOrigin, _ path: JSONPath) -> String? {
    if let account = given["AWS::AccountId"] { return account }
    error(
      "`\(origin.address)` is an IAM resource: give the account the stack deploys into with --parameter AWS::AccountId=ID",
      path, origin.position)
    return nil
  }

  /// A role's name: `RoleName`, else the logical ID (CloudFormation generates `STACK-LOGICALID-SUFFIX`, known only
  /// once the stack exists).
  mutating func roleName(_ logical: String, _ properties: JSONValue, _ path: JSONPath) -> String {
    string(properties, "RoleName", path) ?? logical
  }

  /// A value naming an entity: a literal (name or ARN), or a resource of the template.
  mutating func entity(_ value: JSONValue, _ path: JSONPath) -> EntityReference? {
    switch resolve(value, path) {
    case .json(let json)?:
      if let text = json.stringValue { return .identifier(text) }
      error("expected a string, not \(json.typeName)", path, value.position)
    case .resource(let logical)?:
      return .resource(logical)
    case .none?, nil:
      break
    }
    return nil
  }

  /// A string property, resolved.
  mutating func string(_ object: JSONValue, _ key: String, _ path: JSONPath, required: Bool = false) -> String? {
    guard let value = object[key] else {
      if required { error("`\(key)` is missing", path, object.position) }
      return nil
    }
    return text(value, path.appending(key))
  }

  mutating func text(_ value: JSONValue, _ path: JSONPath) -> String? {
    switch resolve(value, path) {
    case .json(let json)?:
      if let text = json.stringValue { return text }
      if case .number(let digits) = json.kind { return digits }
      error("expected a string, not \(json.typeName)", path, value.position)
    case .resource(let logical)?:
      error(
        "`\(logical)` is a resource of the template: its identifier is not a name iamsim can use here", path,
        value.position)
    case .none?, nil:
      break
    }
    return nil
  }

  mutating func list(_ object: JSONValue, _ key: String, _ path: JSONPath) -> [JSONValue]? {
    guard let value = object[key] else { return nil }
    switch resolve(value, path.appending(key)) {
    case .json(let json)?:
      if let elements = json.elements { return elements }
      error("`\(key)` must be a list", path.appending(key), value.position)
    case .resource?:
      error("`\(key)` must be a list", path.appending(key), value.position)
    case .none?, nil:
      break
    }
    return nil
  }

  /// An identifier property: a literal ID, or a reference to a resource of the template.
  mutating func reference(_ object: JSONValue, _ key: String, _ path: JSONPath) -> EntityReference? {
    guard let value = object[key] else {
      error("`\(key)` is missing", path, object.position)
      return nil
    }
    switch resolve(value, path.appending(key)) {
    case .json(let json)?:
      if let text = json.stringValue { return .identifier(text) }
      error("`\(key)` must be a string, not \(json.typeName)", path.appending(key), value.position)
    case .resource(let logical)?:
      return .resource(logical)
    case .none?, nil:
      break
    }
    return nil
  }

  /// A policy document: an object or a string, with intrinsic functions resolved inside.
  mutating func document(_ value: JSONValue, _ path: JSONPath) -> JSONValue? {
    switch resolve(value, path) {
    case .json(let json)?:
      return json
    case .resource(let logical)?:
      error("`\(logical)` is a resource of the template, not a policy document", path, value.position)
    case .none?, nil:
      break
    }
    return nil
  }

  // MARK: - Intrinsic functions

  /// Resolves intrinsic functions anywhere in a value; `nil` after reporting an error.
  mutating func resolve(_ value: JSONValue, _ path: JSONPath) -> Resolved? {
    switch value.kind {
    case .array(let elements):
      var resolved: [JSONValue] = []
      for (index, element) in elements.enumerated() {
        switch resolve(element, path.appending(index)) {
        case .json(let json)?: resolved.append(json)
        case .resource(let logical)?:
          error(
            "`\(logical)` is a resource of the template; its identifier is known only once the stack is created",
            path.appending(index),
            element.position)
          return nil
        case .none?: continue
        case nil: return nil
        }
      }
      return .json(JSONValue(.array(resolved), at: value.position))
    case .object(let members):
      if members.count == 1, let function = members.first,
        function.key == "Ref" || function.key.hasPrefix("Fn::") || function.key == "Condition"
      {
        return intrinsic(function.key, function.value, path.appending(function.key), at: value.position)
      }
      var resolved: [JSONValue.Member] = []
      for member in members {
        switch resolve(member.value, path.appending(member.key)) {
        case .json(let json)?:
          resolved.append(JSONValue.Member(key: member.key, keyPosition: member.keyPosition, value: json))
        case .resource(let logical)?:
          error(
            "`\(logical)` is a resource of the template; its identifier is known only once the stack is created",
            path.appending(member.key),
            member.value.position)
          return nil
        case .none?: continue
        case nil: return nil
        }
      }
      return .json(JSONValue(.object(resolved), at: value.position))
    default:
      return .json(value)
    }
  }

  /// The identifier attributes of the modelled resources, which `Fn::GetAtt` may name.
  static let identifierAttributes: [String: Set<String>] = [
    "AWS::SSO::PermissionSet": ["PermissionSetArn"],
    "AWS::IdentityStore::Group": ["GroupId"],
    "AWS::Organizations::Policy": ["Id", "Arn"],
    "AWS::IdentityStore::GroupMembership": ["MembershipId"],
    "AWS::IAM::Role": ["Arn", "RoleId"],
    "AWS::IAM::ManagedPolicy": ["PolicyArn", "PolicyId"],
  ]

  mutating func intrinsic(_ name: String, _ argument: JSONValue, _ path: JSONPath, at position: SourcePosition)
    -> Resolved?
  {
    switch name {
    case "Ref":
      guard let target = argument.stringValue else {
        error("`Ref` takes the name of a parameter or resource", path, argument.position)
        return nil
      }
      return ref(target, path, argument.position)
    case "Fn::GetAtt":
      let parts: [String]
      if let text = argument.stringValue {
        parts = text.split(separator: ".", maxSplits: 1).map(String.init)
      } else {
        parts = argument.elements?.compactMap(\.stringValue) ?? []
      }
      guard parts.count == 2 else {
        error("`Fn::GetAtt` takes [logical ID, attribute]", path, argument.position)
        return nil
      }
      return getAtt(parts[0], parts[1], path, argument.position)
    case "Fn::Sub":
      let template: String
      var variables: [String: Resolved] = [:]
      if let text = argument.stringValue {
        template = text
      } else if let elements = argument.elements, elements.count == 2, let text = elements[0].stringValue,
        let map = elements[1].members
      {
        template = text
        for member in map {
          guard let value = resolve(member.value, path.appending(1).appending(member.key)) else { return nil }
          variables[member.key] = value
        }
      } else {
        error("`Fn::Sub` takes a string, or [string, {variables}]", path, argument.position)
        return nil
      }
      return sub(template, variables, path, argument.position)
    case "Fn::Join":
      guard let elements = argument.elements, elements.count == 2, let delimiter = elements[0].stringValue else {
        error("`Fn::Join` takes [delimiter, [values]]", path, argument.position)
        return nil
      }
      guard case .json(let list)? = resolve(elements[1], path.appending(1)), let items = list.elements else {
        if diagnostics.containsErrors { return nil }
        error("`Fn::Join` needs a list of values", path.appending(1), elements[1].position)
        return nil
      }
      var parts: [String] = []
      for (index, item) in items.enumerated() {
        guard let text = item.stringValue else {
          error("`Fn::Join` joins strings, not \(item.typeName)", path.appending(1).appending(index), item.position)
          return nil
        }
        parts.append(text)
      }
      return .json(JSONValue(.string(parts.joined(separator: delimiter)), at: position))
    default:
      error(
        "`\(name)` is not an intrinsic function iamsim resolves (it resolves Ref, Fn::GetAtt, Fn::Sub and Fn::Join)",
        path, position)
      return nil
    }
  }

  mutating func ref(_ target: String, _ path: JSONPath, _ position: SourcePosition) -> Resolved? {
    if let value = given[target] { return .json(parameterValue(target, value, position)) }
    switch target {
    case "AWS::Partition": return .json(JSONValue(.string("aws"), at: position))
    case "AWS::URLSuffix": return .json(JSONValue(.string("amazonaws.com"), at: position))
    case "AWS::NoValue": return Resolved.none
    default: break
    }
    if target.hasPrefix("AWS::") {
      error(
        "the pseudo parameter `\(target)` has no value here; give it with --parameter \(target)=VALUE", path, position)
      return nil
    }
    if let parameter = json["Parameters"]?[target] {
      if let value = parameter["Default"] {
        if let text = value.stringValue { return .json(parameterValue(target, text, value.position)) }
        if case .number(let digits) = value.kind { return .json(JSONValue(.string(digits), at: value.position)) }
        return .json(value)
      }
      error(
        "the parameter `\(target)` has no value: give it with --parameter \(target)=VALUE (the template has no Default)",
        path, position)
      return nil
    }
    if let concrete = iamIdentifier(target, attribute: nil, position) { return .json(concrete) }
    if let type = resourceTypes[target] {
      guard CloudFormationReader.modelledTypes.contains(type) else {
        error("`\(target)` is a resource iamsim does not model (\(type)); its `Ref` cannot be resolved", path, position)
        return nil
      }
      return .resource(target)
    }
    error("`Ref` names `\(target)`, which is neither a parameter nor a resource of the template", path, position)
    return nil
  }

  /// A parameter's value; list types become lists.
  func parameterValue(_ name: String, _ value: String, _ position: SourcePosition) -> JSONValue {
    let type = json["Parameters"]?[name]?["Type"]?.stringValue ?? "String"
    if type == "CommaDelimitedList" || type.hasPrefix("List<") {
      return JSONValue(
        .array(
          value.split(separator: ",", omittingEmptySubsequences: false).map {
            JSONValue(.string($0.trimmingCharacters(in: .whitespaces)), at: position)
          }), at: position)
    }
    return JSONValue(.string(value), at: position)
  }

  mutating func getAtt(_ logical: String, _ attribute: String, _ path: JSONPath, _ position: SourcePosition)
    -> Resolved?
  {
    guard let type = resourceTypes[logical] else {
      error("`Fn::GetAtt` names `\(logical)`, which is not a resource of the template", path, position)
      return nil
    }
    guard let attributes = Self.identifierAttributes[type], attributes.contains(attribute) else {
      error(
        "`Fn::GetAtt` of `\(logical).\(attribute)` (\(type)) cannot be resolved: iamsim follows only the identifiers of the resources it models",
        path, position)
      return nil
    }
    if let concrete = iamIdentifier(logical, attribute: attribute, position) { return .json(concrete) }
    return .resource(logical)
  }

  /// What `Ref` (`attribute` nil) or `Fn::GetAtt … Arn`/`PolicyArn` of an IAM role or managed policy evaluates to,
  /// when the template gives its name (literally or through parameters) and the account is given: a role's `Ref`
  /// is its name, a managed policy's its ARN. `nil` otherwise (the reference is followed to the resource instead).
  mutating func iamIdentifier(_ logical: String, attribute: String?, _ position: SourcePosition) -> JSONValue? {
    guard let resource = json["Resources"]?[logical], let properties = resource["Properties"],
      let type = resource["Type"]?.stringValue, type == "AWS::IAM::Role" || type == "AWS::IAM::ManagedPolicy",
      !resolving.contains(logical)
    else { return nil }
    // Resolved quietly: the resource's own reading reports what does not resolve.
    let (kept, keptResolving) = (diagnostics, resolving)
    resolving.insert(logical)
    defer { (diagnostics, resolving) = (kept, keptResolving) }
    let name = string(properties, type == "AWS::IAM::Role" ? "RoleName" : "ManagedPolicyName", .root)
    let path = properties["Path"] == nil ? "/" : string(properties, "Path", .root)
    guard let name, let path, diagnostics.count == kept.count else { return nil }
    let account = given["AWS::AccountId"]
    switch (type, attribute) {
    case ("AWS::IAM::Role", nil):
      return JSONValue(.string(name), at: position)
    case ("AWS::IAM::Role", "Arn"):
      return account.map { JSONValue(.string("arn:aws:iam::\($0):role\(path)\(name)"), at: position) }
    case ("AWS::IAM::ManagedPolicy", nil), ("AWS::IAM::ManagedPolicy", "PolicyArn"):
      return account.map { JSONValue(.string("arn:aws:iam::\($0):policy\(path)\(name)"), at: position) }
    default:
      return nil
    }
  }

  /// `${Name}`, `${Resource.Attribute}` and `${!Literal}`; a whole string that is one resource reference is that
  /// reference.
  mutating func sub(_ template: String, _ variables: [String: Resolved], _ path: JSONPath, _ position: SourcePosition)
    -> Resolved?
  {
    var output = ""
    var rest = Substring(template)
    var references: [String] = []
    while let start = rest.range(of: "${") {
      output += rest[..<start.lowerBound]
      let after = rest[start.upperBound...]
      guard let end = after.firstIndex(of: "}") else {
        error("`Fn::Sub`: `${` without `}`", path, position)
        return nil
      }
      let name = String(after[..<end])
      rest = after[after.index(after: end)...]
      if name.hasPrefix("!") {
        output += "${" + name.dropFirst() + "}"
        continue
      }
      let resolved: Resolved?
      if let variable = variables[name] {
        resolved = variable
      } else if name.contains(".") && !name.hasPrefix("AWS::") {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        resolved = getAtt(parts[0], parts[1], path, position)
      } else {
        resolved = ref(name, path, position)
      }
      switch resolved {
      case .json(let json)?:
        guard let text = json.stringValue else {
          error("`Fn::Sub`: `${\(name)}` is not a string", path, position)
          return nil
        }
        output += text
      case .resource(let logical)?:
        references.append(logical)
        output += "${" + name + "}"
      case .none?: break
      case nil: return nil
      }
    }
    output += rest
    if let only = references.first {
      if references.count == 1 && output == "${" + template.dropFirst(2).prefix(while: { $0 != "}" }) + "}" {
        return .resource(only)
      }
      error(
        "`Fn::Sub` puts the identifier of `\(only)` inside a string; iamsim cannot know it before the stack is created",
        path, position)
      return nil
    }
    return .json(JSONValue(.string(output), at: position))
  }
}
