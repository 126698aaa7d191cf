import Foundation

/// Reads `organization.json`: the tree, its control policies, the management account and Identity Center.
struct TreeReader {
  let directory: String
  let file: String
  var reader: StrictReader
  var enabled: Set<ControlPolicyType> = Set(ControlPolicyType.allCases)
  /// Control policy files read so far, by path, so that a policy attached in many places is parsed once.
  private var documents: [String: PolicyDocument] = [:]
  private var seenAccounts: [String: JSONPath] = [:]
  /// Every `roleSuffixes` key, to check against the permission sets once they are read.
  var suffixReferences: [(name: String, path: JSONPath, position: SourcePosition)] = []

  init(directory: String, reader: StrictReader) {
    self.directory = directory
    self.file = directory + "/organization.json"
    self.reader = reader
  }

  static let members = [
    "formatVersion", "id", "managementAccount", "enabledPolicyTypes", "identityCenter", "delegatedAdministrators", "root",
  ]

  /// The parts of the organization that `organization.json` gives.
  struct Tree {
    var id: String?
    var managementAccount: String?
    var enabled: Set<ControlPolicyType>
    var identityCenter: IdentityCenterInstance
    var delegatedAdministrators: [DelegatedAdministrator]
    var root: OrganizationalUnit
  }

  mutating func read(_ json: JSONValue) -> Tree? {
    let path = JSONPath.root
    guard reader.object(json, "`organization.json`", allowed: Self.members, required: ["formatVersion", "root"], file, path) else {
      return nil
    }
    if let version = json["formatVersion"] {
      if case .number(let text) = version.kind, text == "1" {} else {
        reader.error(.formatVersion, "`formatVersion` is \(version.output.rendered()); this iamsim reads organization format version 1",
                     file, path.appending("formatVersion"), version.position)
      }
    }
    let id = reader.string(json, "id", file, path)
    if let id, !(id.hasPrefix("o-") && (12...34).contains(id.count) && id.dropFirst(2).allSatisfy(Self.isLowerAlnum)) {
      reader.error(.invalidIdentifier, "`\(id)` is not an organization ID (`o-` and 10 to 32 lower-case letters or digits)",
                   file, path.appending("id"), json["id"]?.position)
    }
    if let types = reader.array(json, "enabledPolicyTypes", file, path) {
      enabled = []
      for (index, item) in types.enumerated() {
        guard let type = item.stringValue.flatMap(ControlPolicyType.init(rawValue:)) else {
          reader.error(.wrongType, "`\(item.stringValue ?? item.typeName)` is not a policy type iamsim evaluates: `SERVICE_CONTROL_POLICY` or `RESOURCE_CONTROL_POLICY`", file,
                       path.appending("enabledPolicyTypes").appending(index), item.position)
          continue
        }
        enabled.insert(type)
      }
    }
    var instance = IdentityCenterInstance()
    if let center = json["identityCenter"] {
      let at = path.appending("identityCenter")
      if reader.object(center, "`identityCenter`", allowed: ["region", "instanceArn", "identityStoreId"], file, at) {
        if let region = reader.string(center, "region", file, at) { instance.region = region == "us-east-1" ? nil : region }
        instance.instanceArn = reader.string(center, "instanceArn", file, at)
        instance.identityStoreId = reader.string(center, "identityStoreId", file, at)
      }
    }
    var delegated: [DelegatedAdministrator] = []
    for (index, item) in (reader.array(json, "delegatedAdministrators", file, path) ?? []).enumerated() {
      let at = path.appending("delegatedAdministrators").appending(index)
      guard reader.object(item, "a delegated administrator", allowed: ["account", "servicePrincipal"],
                          required: ["account", "servicePrincipal"], file, at),
        let account = reader.string(item, "account", file, at), let service = reader.string(item, "servicePrincipal", file, at)
      else { continue }
      delegated.append(DelegatedAdministrator(account: account, servicePrincipal: service))
    }
    guard let rootJSON = json["root"], let root = node(rootJSON, at: path.appending("root"), isRoot: true) else { return nil }
    let management = reader.string(json, "managementAccount", file, path)
    if let management, seenAccounts[management] == nil {
      reader.error(.unknownReference, "the management account \(management) is not an account of the tree", file,
                   path.appending("managementAccount"), json["managementAccount"]?.position)
    }
    for (index, administrator) in delegated.enumerated() where seenAccounts[administrator.account] == nil {
      reader.error(.unknownReference, "the delegated administrator \(administrator.account) is not an account of the tree", file,
                   path.appending("delegatedAdministrators").appending(index).appending("account"), nil)
    }
    return Tree(id: id, managementAccount: management, enabled: enabled, identityCenter: instance,
                delegatedAdministrators: delegated, root: root)
  }

  private mutating func node(_ json: JSONValue, at path: JSONPath, isRoot: Bool) -> OrganizationalUnit? {
    let what = isRoot ? "the root" : "an organizational unit"
    guard reader.object(json, what, allowed: ["id", "name", "scps", "rcps", "accounts", "organizationalUnits"],
                        required: isRoot ? [] : ["name"], file, path)
    else { return nil }
    let id = reader.string(json, "id", file, path)
    if let id {
      let valid = isRoot ? id.hasPrefix("r-") && (6...34).contains(id.count) : id.hasPrefix("ou-") && id.count >= 12
      if !valid || !id.dropFirst(2).allSatisfy({ Self.isLowerAlnum($0) || $0 == "-" }) {
        reader.error(.invalidIdentifier, "`\(id)` is not \(isRoot ? "a root ID (`r-…`)" : "an OU ID (`ou-…-…`)")", file,
                     path.appending("id"), json["id"]?.position)
      }
    }
    var accounts: [Account] = []
    for (index, item) in (reader.array(json, "accounts", file, path) ?? []).enumerated() {
      if let account = account(item, at: path.appending("accounts").appending(index)) { accounts.append(account) }
    }
    var children: [OrganizationalUnit] = []
    var names: Set<String> = []
    for (index, item) in (reader.array(json, "organizationalUnits", file, path) ?? []).enumerated() {
      guard let child = node(item, at: path.appending("organizationalUnits").appending(index), isRoot: false) else { continue }
      if !names.insert(child.name.lowercased()).inserted {
        reader.error(.duplicate, "two organizational units under `\(json["name"]?.stringValue ?? "Root")` are named `\(child.name)`",
                     file, path.appending("organizationalUnits").appending(index).appending("name"), item["name"]?.position)
      }
      children.append(child)
    }
    return OrganizationalUnit(
      id: id, name: reader.string(json, "name", file, path) ?? "Root",
      serviceControlPolicies: policies(json, "scps", at: path, type: .serviceControlPolicy),
      resourceControlPolicies: policies(json, "rcps", at: path, type: .resourceControlPolicy),
      accounts: accounts, children: children)
  }

  private mutating func account(_ json: JSONValue, at path: JSONPath) -> Account? {
    guard reader.object(json, "an account", allowed: ["id", "name", "email", "scps", "rcps", "roleSuffixes", "iam"],
                        required: ["id"], file, path),
      let id = reader.string(json, "id", file, path)
    else { return nil }
    guard StrictReader.isAccountID(id) else {
      reader.error(.invalidIdentifier, "`\(id)` is not an account ID (12 digits)", file, path.appending("id"), json["id"]?.position)
      return nil
    }
    if let first = seenAccounts[id] {
      reader.error(.duplicate, "account \(id) appears twice in the tree (also at \(first))", file, path.appending("id"),
                   json["id"]?.position)
      return nil
    }
    seenAccounts[id] = path
    var suffixes: [String: String] = [:]
    if let value = json["roleSuffixes"] {
      if let members = value.members {
        for member in members {
          let suffix = member.value.stringValue ?? ""
          if suffix.isEmpty || !suffix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            reader.error(.wrongType, "a role suffix must be the role name's last part, letters and digits", file,
                         path.appending("roleSuffixes").appending(member.key), member.value.position)
          }
          suffixes[member.key] = suffix
          suffixReferences.append((member.key, path.appending("roleSuffixes").appending(member.key), member.keyPosition))
        }
      } else {
        reader.error(.wrongType, "`roleSuffixes` must be an object of permission-set names to suffixes", file,
                     path.appending("roleSuffixes"), value.position)
      }
    }
    var collected = true
    if let iam = reader.string(json, "iam", file, path) {
      switch iam {
      case "complete": collected = true
      case "not-collected": collected = false
      default:
        reader.error(.wrongType, "`iam` must be `complete` or `not-collected`, not `\(iam)`", file, path.appending("iam"), json["iam"]?.position)
      }
    }
    return Account(
      id: id, name: reader.string(json, "name", file, path) ?? id, email: reader.string(json, "email", file, path),
      serviceControlPolicies: policies(json, "scps", at: path, type: .serviceControlPolicy),
      resourceControlPolicies: policies(json, "rcps", at: path, type: .resourceControlPolicy), roleSuffixes: suffixes,
      iam: collected ? AccountIAM() : nil)
  }

  /// The control policies of one level; AWS's default attachment when the member is absent.
  private mutating func policies(_ json: JSONValue, _ key: String, at path: JSONPath, type: ControlPolicyType) -> [ControlPolicy] {
    let kind: PolicyKind = type == .serviceControlPolicy ? .serviceControl : .resourceControl
    let managedName = type == .serviceControlPolicy ? "FullAWSAccess" : "RCPFullAWSAccess"
    guard let value = json[key] else { return [Self.fullAccess(type)] }
    let at = path.appending(key)
    if !enabled.contains(type) {
      reader.error(.mismatch, "`\(key)` are attached here, but `enabledPolicyTypes` does not enable \(type.rawValue)", file, at,
                   StrictReader.keyPosition(json, key))
      return []
    }
    guard let elements = value.elements, !elements.isEmpty else {
      reader.error(.wrongType, "`\(key)` must be a non-empty array: AWS keeps at least one \(kind.displayName) attached to every root, OU and account (absent means AWS's default, \(managedName))",
                   file, at, value.position)
      return []
    }
    var result: [ControlPolicy] = []
    for (index, element) in elements.enumerated() {
      let position = at.appending(index)
      var id: String?
      var name: String?
      let reference: String
      if let text = element.stringValue {
        reference = text
      } else if reader.object(element, "a control policy reference", allowed: ["id", "name", "file"], required: ["file"], file, position),
        let text = reader.string(element, "file", file, position)
      {
        id = reader.string(element, "id", file, position)
        name = reader.string(element, "name", file, position)
        if let id, !id.hasPrefix("p-") {
          reader.error(.invalidIdentifier, "`\(id)` is not a policy ID (`p-…`)", file, position.appending("id"), element["id"]?.position)
        }
        reference = text
      } else {
        continue
      }
      if reference == managedName || reference == "p-" + managedName {
        result.append(Self.fullAccess(type))
        continue
      }
      if reference == "FullAWSAccess" || reference == "RCPFullAWSAccess" {
        reader.error(.mismatch, "`\(reference)` is not a \(kind.displayName)", file, position, element.position)
        continue
      }
      let path = directory + "/" + reference
      if let document = documents[path] {
        result.append(ControlPolicy(id: id, name: name ?? Self.baseName(reference), document: document))
        continue
      }
      guard FileManager.default.fileExists(atPath: path) else {
        reader.error(.unknownReference, "the \(kind.displayName) file `\(reference)` does not exist in the organization directory",
                     file, position, element.position)
        continue
      }
      do throws(InputError) {
        let document = try PolicyDocument(parsing: InputFile.read(path), name: reference, kind: kind, file: path)
        documents[path] = document
        result.append(ControlPolicy(id: id, name: name ?? Self.baseName(reference), document: document))
      } catch {
        reader.diagnostics += error.diagnostics
      }
    }
    return result
  }

  static func baseName(_ reference: String) -> String {
    var last = reference.split(separator: "/").last.map(String.init) ?? reference
    if last.hasSuffix(".json") { last.removeLast(5) }
    return last
  }

  /// AWS's managed FullAWSAccess or RCPFullAWSAccess, attached by default.
  static func fullAccess(_ type: ControlPolicyType) -> ControlPolicy {
    type == .serviceControlPolicy ? fullAWSAccess : rcpFullAWSAccess
  }

  private static let fullAWSAccess = ControlPolicy(
    id: "p-FullAWSAccess", name: "FullAWSAccess",
    document: managedControlPolicy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                                   name: "FullAWSAccess", kind: .serviceControl))
  private static let rcpFullAWSAccess = ControlPolicy(
    id: "p-RCPFullAWSAccess", name: "RCPFullAWSAccess",
    document: managedControlPolicy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#,
      name: "RCPFullAWSAccess", kind: .resourceControl))

  private static func managedControlPolicy(_ text: String, name: String, kind: PolicyKind) -> PolicyDocument {
    do {
      return try PolicyDocument(parsing: Array(text.utf8), name: name, kind: kind, isAWSManaged: true)
    } catch {
      preconditionFailure("AWS's \(name) must parse: \(error)")
    }
  }

  static func isLowerAlnum(_ character: Character) -> Bool {
    character.isASCII && (character.isNumber || character.isLowercase)
  }
}
