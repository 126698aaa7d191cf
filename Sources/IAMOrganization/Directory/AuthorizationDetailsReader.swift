import Foundation
import IAMEvaluation
import IAMManagedPolicies

/// Reads an account's `aws iam get-account-authorization-details` output into an ``AccountIAM``.
///
/// This is AWS's output shape, not iamsim's: members AWS may add are tolerated with a warning, but a wrong type,
/// a missing required member or a reference that resolves nowhere is an error.
struct AuthorizationDetailsReader {
  let account: String
  let file: String
  var reader: StrictReader
  var managed: ManagedDocuments

  private static let top = ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies", "IsTruncated", "Marker"]
  private static let policyMembers = [
    "PolicyName", "PolicyId", "Arn", "Path", "DefaultVersionId", "AttachmentCount", "PermissionsBoundaryUsageCount",
    "IsAttachable", "Description", "CreateDate", "UpdateDate", "PolicyVersionList",
  ]
  private static let roleMembers = [
    "Path", "RoleName", "RoleId", "Arn", "CreateDate", "AssumeRolePolicyDocument", "InstanceProfileList", "RolePolicyList",
    "AttachedManagedPolicies", "PermissionsBoundary", "Tags", "RoleLastUsed",
  ]
  private static let userMembers = [
    "Path", "UserName", "UserId", "Arn", "CreateDate", "UserPolicyList", "GroupList", "AttachedManagedPolicies",
    "PermissionsBoundary", "Tags",
  ]
  private static let groupMembers = ["Path", "GroupName", "GroupId", "Arn", "CreateDate", "GroupPolicyList", "AttachedManagedPolicies"]

  /// Customer managed policies of this file, by ARN, as identity policies.
  private var customer: [String: CustomerManagedPolicy] = [:]

  init(account: String, file: String, reader: StrictReader, managed: ManagedDocuments) {
    self.account = account
    self.file = file
    self.reader = reader
    self.managed = managed
  }

  mutating func read(_ json: JSONValue, into iam: inout AccountIAM) {
    let path = JSONPath.root
    guard tolerant(json, "`get-account-authorization-details` output", Self.top, path) else { return }
    for (index, item) in (reader.array(json, "Policies", file, path) ?? []).enumerated() {
      policy(item, at: path.appending("Policies").appending(index), into: &iam)
    }
    var groups: [String: (policies: [PolicyDocument], at: JSONPath)] = [:]
    for (index, item) in (reader.array(json, "GroupDetailList", file, path) ?? []).enumerated() {
      let at = path.appending("GroupDetailList").appending(index)
      guard tolerant(item, "a group", Self.groupMembers, at), let name = required(item, "GroupName", at),
        let arn = required(item, "Arn", at)
      else { continue }
      checkAccount(arn, item, at)
      groups[name.lowercased()] = (inline(item, "GroupPolicyList", owner: "group \(name)", at) + attached(item, at).documents, at)
    }
    for (index, item) in (reader.array(json, "RoleDetailList", file, path) ?? []).enumerated() {
      let at = path.appending("RoleDetailList").appending(index)
      guard tolerant(item, "a role", Self.roleMembers, at), let name = required(item, "RoleName", at),
        let arn = required(item, "Arn", at)
      else { continue }
      checkAccount(arn, item, at)
      guard Principal.roleSession(roleARN: arn, sessionName: "check") != nil else {
        reader.error(.wrongType, "`\(arn)` is not an IAM role ARN", file, at.appending("Arn"), item["Arn"]?.position)
        continue
      }
      guard let trustJSON = item["AssumeRolePolicyDocument"] else {
        reader.error(.missingMember, "the role `\(name)` has no `AssumeRolePolicyDocument`", file, at, item.position)
        continue
      }
      let trustValue = trustJSON.stringValue.flatMap { try? JSONReader().read($0.removingPercentEncoding ?? $0) } ?? trustJSON
      guard let trust = document(trustJSON, name: "\(name) trust policy", kind: .resource, at.appending("AssumeRolePolicyDocument"))
      else { continue }
      if iam.role(named: name) != nil {
        reader.error(.duplicate, "the role `\(name)` appears twice in account \(account)", file, at, item.position)
        continue
      }
      let attachedPolicies = attached(item, at)
      iam.roles.append(IAMRole(
        name: name, path: reader.string(item, "Path", file, at) ?? "/", arn: arn, roleId: reader.string(item, "RoleId", file, at),
        trustPolicy: trust, policies: attachedPolicies.documents + inline(item, "RolePolicyList", owner: "role \(name)", at),
        attachedPolicyArns: attachedPolicies.arns, permissionsBoundary: boundary(item, at), tags: tags(item, at),
        trustPolicyJSON: trustValue))
    }
    for (index, item) in (reader.array(json, "UserDetailList", file, path) ?? []).enumerated() {
      let at = path.appending("UserDetailList").appending(index)
      guard tolerant(item, "a user", Self.userMembers, at), let name = required(item, "UserName", at),
        let arn = required(item, "Arn", at)
      else { continue }
      checkAccount(arn, item, at)
      var policies = attached(item, at).documents + inline(item, "UserPolicyList", owner: "user \(name)", at)
      var groupNames: [String] = []
      for (position, group) in (reader.array(item, "GroupList", file, at) ?? []).enumerated() {
        guard let groupName = group.stringValue else {
          reader.error(.wrongType, "a group name must be a string", file, at.appending("GroupList").appending(position), group.position)
          continue
        }
        guard let found = groups[groupName.lowercased()] else {
          reader.error(.unknownReference, "the user `\(name)` is in the group `\(groupName)`, which `GroupDetailList` does not have",
                       file, at.appending("GroupList").appending(position), group.position)
          continue
        }
        groupNames.append(groupName)
        policies += found.policies
      }
      if iam.user(named: name) != nil {
        reader.error(.duplicate, "the user `\(name)` appears twice in account \(account)", file, at, item.position)
        continue
      }
      iam.users.append(IAMUser(
        name: name, path: reader.string(item, "Path", file, at) ?? "/", arn: arn, userId: reader.string(item, "UserId", file, at),
        policies: policies, groups: groupNames, permissionsBoundary: boundary(item, at), tags: tags(item, at)))
    }
  }

  // MARK: - Members

  private mutating func tolerant(_ json: JSONValue, _ what: String, _ known: [String], _ path: JSONPath) -> Bool {
    guard let members = json.members else {
      reader.error(.wrongType, "\(what) must be a JSON object, not \(json.typeName)", file, path, json.position)
      return false
    }
    for member in members where !known.contains(member.key) {
      reader.warning(.toleratedMember, "`\(member.key)` is not a member iamsim knows in \(what); it is ignored", file,
                     path.appending(member.key), member.keyPosition)
    }
    return true
  }

  private mutating func required(_ json: JSONValue, _ key: String, _ path: JSONPath) -> String? {
    if json[key] == nil { reader.error(.missingMember, "`\(key)` is missing", file, path, json.position) }
    return reader.string(json, key, file, path)
  }

  private mutating func checkAccount(_ arn: String, _ json: JSONValue, _ path: JSONPath) {
    guard let parsed = ARN(arn), parsed.account == account else {
      reader.error(.mismatch, "`\(arn)` is not an ARN of account \(account), whose folder this file is in", file,
                   path.appending("Arn"), json["Arn"]?.position)
      return
    }
  }

  private mutating func policy(_ json: JSONValue, at path: JSONPath, into iam: inout AccountIAM) {
    guard tolerant(json, "a managed policy", Self.policyMembers, path), let name = required(json, "PolicyName", path),
      let arn = required(json, "Arn", path)
    else { return }
    let versions = reader.array(json, "PolicyVersionList", file, path) ?? []
    let defaultVersion = versions.firstIndex { $0["IsDefaultVersion"]?.kind == .bool(true) }
    guard let defaultVersion, let documentJSON = versions[defaultVersion]["Document"] else {
      reader.error(.missingMember, "the policy `\(name)` has no default version with a `Document` in `PolicyVersionList`", file, path,
                   json.position)
      return
    }
    let at = path.appending("PolicyVersionList").appending(defaultVersion).appending("Document")
    if arn.hasPrefix(ManagedPolicyLibrary.arnPrefix) {
      // An AWS managed policy: iamsim's compiled-in copy is used; the export's copy only when iamsim has none.
      if managed.isShipped(arn) { return }
      if let document = document(documentJSON, name: arn, kind: .identity, at) { managed.add(arn, document) }
      return
    }
    checkAccount(arn, json, path)
    let policyPath = reader.string(json, "Path", file, path) ?? "/"
    // Named by path and name, not account, so that the same policy in two accounts is the same document.
    guard let document = document(documentJSON, name: "\(policyPath)\(name)", kind: .identity, at) else { return }
    if iam.policy(path: policyPath, name: name) != nil {
      reader.error(.duplicate, "the customer managed policy `\(policyPath)\(name)` appears twice in account \(account)", file, path,
                   json.position)
      return
    }
    let policy = CustomerManagedPolicy(name: name, path: policyPath, arn: arn, policyId: reader.string(json, "PolicyId", file, path),
                                       document: document)
    iam.policies.append(policy)
    customer[arn] = policy
  }

  /// A policy document: an object, or (as the API returns it) a URL-encoded JSON string.
  private mutating func document(_ json: JSONValue, name: String, kind: PolicyKind, _ path: JSONPath) -> PolicyDocument? {
    do throws(InputError) {
      if let text = json.stringValue {
        let decoded = text.removingPercentEncoding ?? text
        let parsed: JSONValue
        do { parsed = try JSONReader().read(decoded) } catch {
          throw InputError(.jsonSyntax, "the policy document string is not JSON: \(error.message)", file: file, path: path,
                           position: json.position)
        }
        return try PolicyDocument(json: parsed, name: name, kind: kind, file: file, at: path)
      }
      return try PolicyDocument(json: json, name: name, kind: kind, file: file, at: path)
    } catch {
      reader.diagnostics += error.diagnostics
      return nil
    }
  }

  private mutating func inline(_ json: JSONValue, _ key: String, owner: String, _ path: JSONPath) -> [PolicyDocument] {
    var result: [PolicyDocument] = []
    for (index, item) in (reader.array(json, key, file, path) ?? []).enumerated() {
      let at = path.appending(key).appending(index)
      guard tolerant(item, "an inline policy", ["PolicyName", "PolicyDocument"], at), let name = required(item, "PolicyName", at),
        let documentJSON = item["PolicyDocument"]
      else { continue }
      if let document = document(documentJSON, name: "\(account):\(owner) inline \(name)", kind: .identity,
                                 at.appending("PolicyDocument")) {
        result.append(document)
      }
    }
    return result
  }

  private mutating func attached(_ json: JSONValue, _ path: JSONPath) -> (documents: [PolicyDocument], arns: [String]) {
    var documents: [PolicyDocument] = []
    var arns: [String] = []
    for (index, item) in (reader.array(json, "AttachedManagedPolicies", file, path) ?? []).enumerated() {
      let at = path.appending("AttachedManagedPolicies").appending(index)
      guard tolerant(item, "an attached policy", ["PolicyName", "PolicyArn"], at), let arn = required(item, "PolicyArn", at) else {
        continue
      }
      if let document = resolve(arn, kind: .identity, item, at.appending("PolicyArn")) {
        documents.append(document)
        arns.append(arn)
      }
    }
    return (documents, arns)
  }

  private mutating func boundary(_ json: JSONValue, _ path: JSONPath) -> PolicyDocument? {
    guard let value = json["PermissionsBoundary"] else { return nil }
    let at = path.appending("PermissionsBoundary")
    guard tolerant(value, "a permissions boundary", ["PermissionsBoundaryType", "PermissionsBoundaryArn"], at),
      let arn = required(value, "PermissionsBoundaryArn", at)
    else { return nil }
    return resolve(arn, kind: .permissionsBoundary, value, at.appending("PermissionsBoundaryArn"))
  }

  private mutating func resolve(_ arn: String, kind: PolicyKind, _ json: JSONValue, _ path: JSONPath) -> PolicyDocument? {
    if arn.hasPrefix(ManagedPolicyLibrary.arnPrefix) {
      do throws(InputError) {
        return try managed.document(arn, kind: kind, file: file, path: path, position: json.position)
      } catch {
        reader.diagnostics += error.diagnostics
        return nil
      }
    }
    guard let policy = customer[arn] else {
      reader.error(.unknownReference, "`\(arn)` is not a customer managed policy of this file's `Policies`", file, path, json.position)
      return nil
    }
    return policy.document
  }

  private mutating func tags(_ json: JSONValue, _ path: JSONPath) -> [IAMTag] {
    var result: [IAMTag] = []
    for (index, item) in (reader.array(json, "Tags", file, path) ?? []).enumerated() {
      let at = path.appending("Tags").appending(index)
      guard tolerant(item, "a tag", ["Key", "Value"], at), let key = required(item, "Key", at),
        let value = required(item, "Value", at)
      else { continue }
      result.append(IAMTag(key: key, value: value))
    }
    return result
  }
}
