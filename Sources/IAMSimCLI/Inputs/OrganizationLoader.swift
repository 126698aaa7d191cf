import Foundation
import IAMFederation
import IAMIdentityCenter
import IAMPolicy

/// Reads an organization directory:
///
/// ```
/// organization.json               management account, Identity Center region, the OU tree with SCPs/RCPs
/// permission-sets/NAME.json       permission sets
/// assignments.json                [{"principalType": "GROUP", "principal": "…", "permissionSet": "…", "account": "…"}]
/// identity-store/*.json           SCIM payloads or `aws identitystore list-*` output
/// access-control-attributes.json  the ABAC attribute mapping (optional)
/// customer-managed-policies/ACCOUNT/PATH/NAME.json
/// ```
enum OrganizationLoader {
  static func load(_ directory: String, loader: inout PolicyLoader) throws(InputError) -> Organization {
    let file = directory + "/organization.json"
    let json = try InputFile.readJSON(file)
    guard json.members != nil, let rootJSON = json["root"] else {
      throw InputError(.wrongType, "`organization.json` must be an object with a `root`", file: file)
    }
    var reader = NodeReader(directory: directory, file: file, loader: loader)
    let root = try reader.node(rootJSON, at: JSONPath.root.appending("root"))
    loader = reader.loader
    let region = json["identityCenter"]?["region"]?.stringValue
    var permissionSets: [String: PermissionSet] = [:]
    let setsFolder = directory + "/permission-sets"
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: setsFolder)) ?? []).sorted() where name.hasSuffix(".json") {
      let path = setsFolder + "/" + name
      let (permissionSet, _) = try PermissionSet.read(InputFile.readJSON(path), source: path)
      permissionSets[permissionSet.name] = permissionSet
    }
    return Organization(
      managementAccount: json["managementAccount"]?.stringValue,
      identityCenterRegion: region == "us-east-1" ? nil : (region ?? IdentityCenterSession.defaultRegion),
      root: root, permissionSets: permissionSets, assignments: try assignments(directory + "/assignments.json"),
      identityStore: try identityStore(directory + "/identity-store"),
      accessControl: try accessControl(directory + "/access-control-attributes.json"))
  }

  private static func assignments(_ file: String) throws(InputError) -> [Assignment] {
    guard FileManager.default.fileExists(atPath: file) else { return [] }
    let json = try InputFile.readJSON(file)
    var result: [Assignment] = []
    for (index, item) in (json.elements ?? []).enumerated() {
      guard let type = item["principalType"]?.stringValue.flatMap(Assignment.PrincipalType.init(rawValue:)),
        let principal = item["principal"]?.stringValue, let permissionSet = item["permissionSet"]?.stringValue,
        let account = item["account"]?.stringValue
      else {
        throw InputError(.wrongType, "an assignment needs `principalType` (USER or GROUP), `principal`, `permissionSet` and `account`",
                         file: file, path: JSONPath.root.appending(index), position: item.position)
      }
      result.append(Assignment(principalType: type, principal: principal, permissionSet: permissionSet, account: account))
    }
    return result
  }

  private static func identityStore(_ folder: String) throws(InputError) -> IdentityStore {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    var inputs: [SCIMInput] = []
    for name in names { inputs.append(SCIMInput(name: folder + "/" + name, bytes: try InputFile.read(folder + "/" + name))) }
    do {
      return try SCIMValidator().validate(inputs).store
    } catch {
      throw InputError("organization.identity-store", error.message, file: error.file, path: error.jsonPath ?? .root,
                       position: error.position)
    }
  }

  private static func accessControl(_ file: String) throws(InputError) -> AccessControlConfiguration? {
    guard FileManager.default.fileExists(atPath: file) else { return nil }
    do {
      return try AccessControlConfiguration(json: InputFile.read(file), file: file)
    } catch let error as JSONInputError {
      throw InputError("organization.access-control", error.message, file: file, position: error.position)
    } catch let error as InputError {
      throw error
    } catch {
      throw InputError("organization.access-control", "\(error)", file: file)
    }
  }

  /// Reads the OU tree; a level that names no SCPs (RCPs) has AWS's FullAWSAccess (RCPFullAWSAccess) attached.
  private struct NodeReader {
    let directory: String
    let file: String
    var loader: PolicyLoader

    mutating func node(_ json: JSONValue, at path: JSONPath) throws(InputError) -> OrganizationNode {
      var accounts: [OrganizationAccount] = []
      for (index, item) in (json["accounts"]?.elements ?? []).enumerated() {
        accounts.append(try account(item, at: path.appending("accounts").appending(index)))
      }
      var children: [OrganizationNode] = []
      for (index, item) in (json["organizationalUnits"]?.elements ?? []).enumerated() {
        children.append(try node(item, at: path.appending("organizationalUnits").appending(index)))
      }
      return OrganizationNode(
        name: json["name"]?.stringValue ?? "Root",
        serviceControlPolicies: try policies(json["scps"], at: path.appending("scps"), kind: .serviceControl),
        resourceControlPolicies: try policies(json["rcps"], at: path.appending("rcps"), kind: .resourceControl),
        accounts: accounts, children: children)
    }

    mutating func account(_ json: JSONValue, at path: JSONPath) throws(InputError) -> OrganizationAccount {
      guard let id = json["id"]?.stringValue, id.count == 12, id.allSatisfy({ $0.isASCII && $0.isNumber }) else {
        throw InputError(.wrongType, "an account needs an `id` of 12 digits", file: file, path: path, position: json.position)
      }
      var suffixes: [String: String] = [:]
      for member in json["roleSuffixes"]?.members ?? [] { suffixes[member.key] = member.value.stringValue }
      return OrganizationAccount(
        id: id, name: json["name"]?.stringValue ?? id,
        serviceControlPolicies: try policies(json["scps"], at: path.appending("scps"), kind: .serviceControl),
        resourceControlPolicies: try policies(json["rcps"], at: path.appending("rcps"), kind: .resourceControl),
        roleSuffixes: suffixes)
    }

    mutating func policies(_ json: JSONValue?, at path: JSONPath, kind: PolicyKind) throws(InputError) -> [PolicyDocument] {
      guard let json else { return [try Self.fullAccess(kind)] }
      guard let elements = json.elements, !elements.isEmpty else {
        throw InputError(.wrongType, "`\(path)` must be a non-empty array of policy files (every level has at least one policy attached)",
                         file: file, path: path, position: json.position)
      }
      var documents: [PolicyDocument] = []
      for (index, element) in elements.enumerated() {
        guard let reference = element.stringValue else {
          throw InputError(.wrongType, "a policy reference must be a path relative to the organization directory", file: file,
                           path: path.appending(index), position: element.position)
        }
        documents.append(try loader.load(directory + "/" + reference, kind: kind))
      }
      return documents
    }

    /// AWS's default attachment: FullAWSAccess for SCPs, RCPFullAWSAccess for RCPs.
    static func fullAccess(_ kind: PolicyKind) throws(InputError) -> PolicyDocument {
      let principal = kind == .resourceControl ? #","Principal":"*""# : ""
      let text = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*""# + principal + "}]}"
      let name = kind == .resourceControl ? "RCPFullAWSAccess (default)" : "FullAWSAccess (default)"
      return try PolicyDocument(parsing: Array(text.utf8), name: name, kind: kind, isAWSManaged: true)
    }
  }
}
