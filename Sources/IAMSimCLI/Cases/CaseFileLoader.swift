import Foundation
import IAMCatalog
import IAMEvaluation
import IAMFederation
import IAMIdentityCenter
import IAMOrganization
import IAMPolicy

/// Reads case files, resolving their policy references and refusing paths that leave the repository.
struct CaseFileLoader {
  var policyLoader: PolicyLoader
  /// Whether referenced files may lie outside the repository that holds the case file.
  let allowsOutsidePaths: Bool
  /// Whether each request must carry `expect`.
  let requiresExpectations: Bool
  /// When set, a request's action must be in the catalog unless the request says `"unknownAction": true`, and a
  /// request that says so must name an action the catalog does not know (`iamsim test`).
  var actionNames: ActionNameChecker? = nil
  /// The AWS managed policies read so far, by kind and ARN: each is parsed once however many case files name it
  /// (bounded by the shipped library).
  var managedDocuments: [String: PolicyDocument] = [:]

  static let members: Set<String> = [
    "description", "principal", "saml", "permissionSet", "identityPolicies", "permissionsBoundary", "sessionPolicy",
    "scps", "rcps", "resourcePolicy", "context", "requests", "vpcEndpointPolicy", "vpcEndpointType", "blockPublicAccess",
    "organization", "caller",
  ]

  /// The members that spell out the caller or its policies: an organization caller takes them from the organization.
  static let spelledOutMembers = [
    "principal", "saml", "permissionSet", "identityPolicies", "permissionsBoundary", "sessionPolicy", "scps", "rcps",
  ]

  /// The members of a `caller` object.
  static let callerMembers = ["user", "account", "permissionSet", "role", "iamUser"]

  static let requestMembers: Set<String> = [
    "name", "action", "resource", "resourceAccount", "context", "expect", "decidedBy", "unknownAction", "caller",
  ]

  /// Whether a JSON file is a case file: an object with a `requests` member.
  static func isCaseFile(_ json: JSONValue) -> Bool { json["requests"] != nil }

  /// Reads and checks one case file.
  mutating func load(_ path: String, json: JSONValue) throws(InputError) -> CaseFile {
    var problems: [Diagnostic] = []
    func fail(_ code: Diagnostic.Code, _ message: String, _ at: JSONPath, _ position: SourcePosition?) {
      problems.append(Diagnostic(code, .error, message, file: path, path: at, position: position))
    }
    guard let members = json.members else {
      throw InputError(.wrongType, "a case file must be a JSON object", file: path, position: json.position)
    }
    var seen: Set<String> = []
    for member in members {
      if !seen.insert(member.key).inserted {
        fail(.duplicateKey, "the member `\(member.key)` appears more than once", JSONPath.root.appending(member.key),
             member.keyPosition)
      }
      if !CaseFileLoader.members.contains(member.key) {
        fail(.unknownElement, "`\(member.key)` is not a case-file member", JSONPath.root.appending(member.key),
             member.keyPosition)
      }
    }
    let directory = CaseFileLoader.folder(of: path)
    let root = CaseFileLoader.repositoryRoot(of: directory)
    var resolve = PolicyResolver(caseFile: path, directory: directory, root: root, allowsOutside: allowsOutsidePaths,
                                 loader: policyLoader)
    resolve.managedDocuments = managedDocuments
    defer {
      policyLoader = resolve.loader
      managedDocuments = resolve.managedDocuments
    }

    var description: String?
    if let value = json["description"] {
      description = value.stringValue
      if description == nil { fail(.wrongType, "`description` must be a string", .root.appending("description"), value.position) }
    }
    func collect<T>(_ body: () throws(InputError) -> T?) -> T? {
      do throws(InputError) { return try body() } catch {
        problems += error.diagnostics
        return nil
      }
    }
    var policies = PolicySet()
    var permissionSet: ResolvedPermissionSet?
    var principal = Principal.defaultSession
    if let value = json["principal"] {
      do throws(InputError) {
        principal = try CaseFileLoader.principal(value, file: path)
      } catch { problems += error.diagnostics }
    }
    if let value = json["permissionSet"] {
      permissionSet = collect { () throws(InputError) in
        try resolve.permissionSet(value, at: .root.appending("permissionSet"), account: principal.account)
      }
      if let permissionSet, json["principal"]?["arn"] == nil, principal.kind != .anonymous {
        // F-2: without an explicit caller, the caller is a session of the permission set's reserved role.
        let session = IdentityCenterSession(permissionSetName: permissionSet.permissionSet.name,
                                            account: principal.account, userName: principal.sessionName ?? "alice@example.com")
        if var sessionPrincipal = session.principal {
          sessionPrincipal.tags = principal.tags
          principal = sessionPrincipal
        }
      }
    }
    var samlContext = RequestContext()
    if let value = json["saml"] {
      if let session = collect({ () throws(InputError) in try resolve.samlSession(value, at: .root.appending("saml")) }) {
        // Tags given in principal.tags override SAML tags of the same key.
        let explicit = principal.tags
        for tag in session.tags where !explicit.contains(where: { $0.key.lowercased() == tag.key.lowercased() }) {
          principal.setTag(tag.key, tag.value)
        }
        for entry in session.sessionContext {
          if entry.isMultivalued { samlContext.set(entry.key, values: entry.values) } else { samlContext.set(entry.key, entry.values[0]) }
        }
      }
    }
    if let value = json["identityPolicies"] {
      policies.identityPolicies = collect { () throws(InputError) in
        try resolve.list(value, at: .root.appending("identityPolicies"), kind: .identity)
      } ?? []
    }
    policies.identityPolicies = (permissionSet?.identityPolicies ?? []) + policies.identityPolicies
    policies.permissionsBoundary = json["permissionsBoundary"].flatMap { value in
      collect { () throws(InputError) in try resolve.one(value, at: .root.appending("permissionsBoundary"), kind: .permissionsBoundary) }
    }
    if let boundary = permissionSet?.permissionsBoundary {
      if policies.permissionsBoundary != nil {
        fail(.conflictingElements, "the permission set already sets the permissions boundary; drop `permissionsBoundary`",
             .root.appending("permissionsBoundary"), json["permissionsBoundary"]?.position)
      }
      policies.permissionsBoundary = boundary
    }
    policies.sessionPolicy = json["sessionPolicy"].flatMap { value in
      collect { () throws(InputError) in try resolve.one(value, at: .root.appending("sessionPolicy"), kind: .session) }
    }
    policies.resourcePolicy = json["resourcePolicy"].flatMap { value in
      collect { () throws(InputError) in try resolve.one(value, at: .root.appending("resourcePolicy"), kind: .resource) }
    }
    policies.vpcEndpointPolicy = json["vpcEndpointPolicy"].flatMap { value in
      collect { () throws(InputError) in try resolve.one(value, at: .root.appending("vpcEndpointPolicy"), kind: .resource) }
    }
    if let value = json["vpcEndpointType"] {
      if let text = value.stringValue, let type = VPCEndpointType(rawValue: text) {
        policies.vpcEndpointType = type
      } else {
        fail(.wrongType, "`vpcEndpointType` must be `gateway` or `interface`", .root.appending("vpcEndpointType"), value.position)
      }
    }
    if let value = json["blockPublicAccess"] {
      if let members = value.members {
        for member in members {
          let at = JSONPath.root.appending("blockPublicAccess").appending(member.key)
          guard case .bool(let on) = member.value.kind else {
            fail(.wrongType, "`blockPublicAccess.\(member.key)` must be true or false", at, member.value.position)
            continue
          }
          var settings = policies.blockPublicAccess
          if !settings.turnOn(member.key) {
            fail(.unknownElement, "`\(member.key)` is not an S3 Block Public Access setting (\(BlockPublicAccess.names.joined(separator: ", ")))",
                 at, member.keyPosition)
          } else if on {
            policies.blockPublicAccess = settings
          }
        }
      } else {
        fail(.wrongType, "`blockPublicAccess` must be an object of settings", .root.appending("blockPublicAccess"), value.position)
      }
    }
    if principal.kind == .anonymous {
      // An anonymous caller has no identity and no account: what describes one cannot apply to it.
      for member in ["identityPolicies", "permissionSet", "saml", "permissionsBoundary", "sessionPolicy", "scps"] {
        if let value = json[member] {
          fail(.conflictingElements, "`\(member)` describes a signed caller and cannot be given with `\"principal\": {\"anonymous\": true}`",
               .root.appending(member), value.position)
        }
      }
    }
    if let value = json["scps"] {
      policies.serviceControlPolicies = collect { () throws(InputError) in
        try resolve.levels(value, at: .root.appending("scps"), kind: .serviceControl)
      } ?? []
    }
    if let value = json["rcps"] {
      policies.resourceControlPolicies = collect { () throws(InputError) in
        try resolve.levels(value, at: .root.appending("rcps"), kind: .resourceControl)
      } ?? []
    }
    var context = samlContext
    if let value = json["context"] {
      let explicit = collect { () throws(InputError) in try CaseFileLoader.context(value, at: .root.appending("context"), file: path) }
      context = context.merging(explicit ?? RequestContext())
    }
    var requests: [CaseRequest] = []
    if let value = json["requests"] {
      if let elements = value.elements {
        if elements.isEmpty { fail(.emptyList, "`requests` holds no request", .root.appending("requests"), value.position) }
        for (index, element) in elements.enumerated() {
          if let request = collect({ () throws(InputError) in
            try request(element, index: index, at: JSONPath.root.appending("requests").appending(index), file: path)
          }) {
            requests.append(request)
          }
        }
      } else {
        fail(.wrongType, "`requests` must be an array", .root.appending("requests"), value.position)
      }
    }
    if principal.kind == .anonymous {
      for request in requests {
        let at = JSONPath.root.appending("requests").appending(request.index)
        let arnAccount = ARN(request.resource)?.account ?? ""
        if request.resourceAccount == nil && arnAccount.count != 12 {
          fail(.conflictingElements, "an anonymous caller has no account: give the resource's account in `resourceAccount`", at,
               json["requests"]?.elements?[request.index].position)
        }
        for key in ["aws:PrincipalArn", "aws:userid"] where context.merging(request.context)[key] != nil {
          fail(.conflictingElements, "`\(key)` is not in the context of an anonymous request (\"Anonymous requests do not include this key.\")",
               at, json["requests"]?.elements?[request.index].position)
        }
      }
    }
    var organization: OrganizationReference?
    if let value = json["organization"] {
      let at = JSONPath.root.appending("organization")
      if let text = value.stringValue, !text.isEmpty {
        if let directory = collect({ () throws(InputError) in try resolve.checkedPath(text, at: at, position: value.position) }) {
          organization = OrganizationReference(directory: directory, path: at, position: value.position)
        }
      } else {
        fail(.wrongType, "`organization` must be the path of an organization directory, relative to the case file", at, value.position)
      }
    }
    let fileCaller = json["caller"].flatMap { value in
      collect { () throws(InputError) in try CaseFileLoader.caller(value, at: .root.appending("caller"), file: path) }
    }
    let usesOrganization = json["organization"] != nil || json["caller"] != nil
      || (json["requests"]?.elements ?? []).contains { $0["caller"] != nil }
    if usesOrganization {
      for member in CaseFileLoader.spelledOutMembers {
        guard let value = json[member] else { continue }
        fail(.conflictingElements,
             "`\(member)` spells out the caller or its policies and cannot be combined with an organization caller (`caller`), whose session the organization forms",
             .root.appending(member), json.members?.first { $0.key == member }?.keyPosition ?? value.position)
      }
      for index in requests.indices {
        if requests[index].caller == nil { requests[index].caller = fileCaller }
        if requests[index].caller == nil && json["caller"] == nil {
          fail(.missingAction, "this request has no `caller`, and the file gives no default `caller`",
               JSONPath.root.appending("requests").appending(requests[index].index),
               json["requests"]?.elements?[requests[index].index].position)
        }
      }
    }
    guard !problems.containsErrors else { throw InputError(problems) }
    return CaseFile(path: path, description: description, principal: principal, policies: policies,
                    awsManagedPolicies: resolve.awsManaged, context: context, requests: requests, organization: organization)
  }

  private func request(_ value: JSONValue, index: Int, at path: JSONPath, file: String) throws(InputError) -> CaseRequest {
    guard let members = value.members else {
      throw InputError(.wrongType, "a request must be an object", file: file, path: path, position: value.position)
    }
    var problems: [Diagnostic] = []
    for member in members where !CaseFileLoader.requestMembers.contains(member.key) {
      problems.append(Diagnostic(.unknownElement, .error, "`\(member.key)` is not a request member", file: file,
                                 path: path.appending(member.key), position: member.keyPosition))
    }
    func string(_ key: String) -> String? {
      guard let member = value[key] else { return nil }
      guard let text = member.stringValue else {
        problems.append(Diagnostic(.wrongType, .error, "`\(key)` must be a string, not \(member.typeName)", file: file,
                                   path: path.appending(key), position: member.position))
        return nil
      }
      return text
    }
    let action = string("action")
    if action == nil && value["action"] == nil {
      problems.append(Diagnostic(.missingAction, .error, "a request needs an `action`", file: file, path: path,
                                 position: value.position))
    } else if let action, action.split(separator: ":", omittingEmptySubsequences: false).count != 2 || action.contains("*") {
      problems.append(Diagnostic(.invalidAction, .error, "the action `\(action)` is not of the form `service:Action`",
                                 file: file, path: path.appending("action"), position: value["action"]?.position))
    }
    var unknownAction = false
    if let member = value["unknownAction"] {
      if case .bool(let flag) = member.kind {
        unknownAction = flag
      } else {
        problems.append(Diagnostic(.wrongType, .error, "`unknownAction` must be true or false, not \(member.typeName)", file: file,
                                   path: path.appending("unknownAction"), position: member.position))
      }
    }
    if let action, let actionNames, !problems.containsErrors {
      let unknown = actionNames.check(action)
      if let unknown, !unknownAction {
        problems.append(unknown.diagnostic(
          .error, file: file, path: path.appending("action"), position: value["action"]?.position)
          .appendingToMessage(" (a request that tests an unknown action on purpose says `\"unknownAction\": true`)"))
      } else if unknown == nil, unknownAction {
        problems.append(Diagnostic(
          "request.action-is-known", .error, "`unknownAction` is true, but `\(action)` is an action of the AWS service authorization catalog",
          file: file, path: path.appending("unknownAction"), position: value["unknownAction"]?.position))
      }
    }
    let resource = string("resource") ?? "*"
    let resourceAccount = string("resourceAccount")
    if let resourceAccount, resourceAccount.count != 12 || !resourceAccount.allSatisfy({ $0.isASCII && $0.isNumber }) {
      problems.append(Diagnostic(.wrongType, .error, "`resourceAccount` must be a 12-digit account ID", file: file,
                                 path: path.appending("resourceAccount"), position: value["resourceAccount"]?.position))
    }
    var expect: Decision?
    if let text = string("expect") {
      expect = Decision(rawValue: text)
      if expect == nil {
        problems.append(Diagnostic(.wrongType, .error,
                                   "`expect` must be `allowed`, `explicitDeny` or `implicitDeny`, not `\(text)`", file: file,
                                   path: path.appending("expect"), position: value["expect"]?.position))
      }
    } else if requiresExpectations && value["expect"] == nil {
      problems.append(Diagnostic(.missingAction, .error, "a request needs `expect`", file: file, path: path,
                                 position: value.position))
    }
    var context = RequestContext()
    if let member = value["context"] {
      do throws(InputError) {
        context = try CaseFileLoader.context(member, at: path.appending("context"), file: file)
      } catch { problems += error.diagnostics }
    }
    let name = string("name")
    if let name, name.allSatisfy(\.isWhitespace) {
      problems.append(Diagnostic(.wrongType, .error, "`name` must not be empty", file: file, path: path.appending("name"),
                                 position: value["name"]?.position))
    }
    var decidedBy: [ExpectedStatement]?
    if let member = value["decidedBy"] {
      do throws(InputError) {
        decidedBy = try CaseFileLoader.decidedBy(member, at: path.appending("decidedBy"), file: file)
      } catch { problems += error.diagnostics }
      if expect == .implicitDeny {
        problems.append(Diagnostic(
          .conflictingElements, .error,
          "`decidedBy` cannot hold with `\"expect\": \"implicitDeny\"`: no statement decides an implicit deny (drop one of them)",
          file: file, path: path.appending("decidedBy"), position: member.position))
      }
    }
    var caller: CallerReference?
    if let member = value["caller"] {
      do throws(InputError) {
        caller = try CaseFileLoader.caller(member, at: path.appending("caller"), file: file)
      } catch { problems += error.diagnostics }
    }
    guard !problems.containsErrors, let action else { throw InputError(problems) }
    return CaseRequest(index: index, name: name, action: action, resource: resource, resourceAccount: resourceAccount,
                       context: context, expect: expect, decidedBy: decidedBy, unknownAction: unknownAction, caller: caller)
  }

  /// Reads a `caller`: `account` with `user` and `permissionSet` (Identity Center), `user` and `role` (account
  /// access manager), `role` (an IAM role) or `iamUser` (an IAM user), as `eval --org` takes them.
  static func caller(_ value: JSONValue, at path: JSONPath, file: String) throws(InputError) -> CallerReference {
    guard let members = value.members else {
      throw InputError(.wrongType, "`caller` must be an object of \(callerMembers.map { "`\($0)`" }.joined(separator: ", "))",
                       file: file, path: path, position: value.position)
    }
    var strings: [String: String] = [:]
    for member in members {
      guard callerMembers.contains(member.key) else {
        throw InputError(.unknownElement, "`\(member.key)` is not a member of `caller` (use \(callerMembers.map { "`\($0)`" }.joined(separator: ", ")))",
                         file: file, path: path.appending(member.key), position: member.keyPosition)
      }
      guard let text = member.value.stringValue, !text.isEmpty else {
        throw InputError(.wrongType, "`caller.\(member.key)` must be a non-empty string, not \(member.value.typeName)", file: file,
                         path: path.appending(member.key), position: member.value.position)
      }
      strings[member.key] = text
    }
    guard let account = strings["account"] else {
      throw InputError(.missingAction, "`caller` needs `account`", file: file, path: path, position: value.position)
    }
    guard account.count == 12, account.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      throw InputError(.wrongType, "`caller.account` must be a 12-digit account ID", file: file, path: path.appending("account"),
                       position: value["account"]?.position)
    }
    guard let caller = EvalCommand.caller(account: account, user: strings["user"], permissionSet: strings["permissionSet"],
                                          role: strings["role"], iamUser: strings["iamUser"]) else {
      throw InputError(
        .conflictingElements,
        "`caller` names one caller with `account`: `user` and `permissionSet` (Identity Center), `user` and `role` (account access manager), `role` (an IAM role) or `iamUser` (an IAM user)",
        file: file, path: path, position: value.position)
    }
    return CallerReference(caller: caller, path: path, position: value.position)
  }

  /// Reads `decidedBy`: a Sid, an object of `sid`, `policy`, `index` and `layer`, or a non-empty array of them.
  static func decidedBy(_ value: JSONValue, at path: JSONPath, file: String) throws(InputError) -> [ExpectedStatement] {
    func fail(_ message: String, _ at: JSONPath, _ position: SourcePosition?) -> InputError {
      InputError(.wrongType, message, file: file, path: at, position: position)
    }
    func one(_ item: JSONValue, at itemPath: JSONPath) throws(InputError) -> ExpectedStatement {
      if let sid = item.stringValue {
        guard !sid.isEmpty else { throw fail("a `decidedBy` Sid must not be empty", itemPath, item.position) }
        return ExpectedStatement(sid: sid)
      }
      guard let members = item.members else {
        throw fail("`decidedBy` must be a Sid, an object of `sid`, `policy`, `index` and `layer`, or an array of them, not \(item.typeName)",
                   itemPath, item.position)
      }
      var statement = ExpectedStatement()
      for member in members {
        let memberPath = itemPath.appending(member.key)
        switch member.key {
        case "sid", "policy", "layer":
          guard let text = member.value.stringValue, !text.isEmpty else {
            throw fail("`\(member.key)` must be a non-empty string, not \(member.value.typeName)", memberPath, member.value.position)
          }
          if member.key == "sid" { statement.sid = text }
          if member.key == "policy" { statement.policy = text }
          if member.key == "layer" {
            guard isLayerName(text) else {
              throw fail("`layer` must be identity, boundary, session, resource, scp[N] or rcp[N], not `\(text)`", memberPath,
                         member.value.position)
            }
            statement.layer = text
          }
        case "index":
          guard case .number(let text) = member.value.kind, let number = Int(text), number >= 0 else {
            throw fail("`index` must be a statement index (0, 1, …)", memberPath, member.value.position)
          }
          statement.index = number
        default:
          throw InputError(.unknownElement, "`\(member.key)` is not a member of `decidedBy` (use \(ExpectedStatement.members.map { "`\($0)`" }.joined(separator: ", ")))",
                           file: file, path: memberPath, position: member.keyPosition)
        }
      }
      guard statement != ExpectedStatement() else {
        throw fail("a `decidedBy` object needs at least one of `sid`, `policy`, `index` and `layer`", itemPath, item.position)
      }
      return statement
    }
    guard let elements = value.elements else { return [try one(value, at: path)] }
    guard !elements.isEmpty else {
      throw InputError(.emptyList, "`decidedBy` holds no statement", file: file, path: path, position: value.position)
    }
    var statements: [ExpectedStatement] = []
    for (index, element) in elements.enumerated() { statements.append(try one(element, at: path.appending(index))) }
    return statements
  }

  /// Whether `text` names a layer as the engine does: `identity`, `boundary`, `session`, `resource`, `scp[N]`, `rcp[N]`.
  static func isLayerName(_ text: String) -> Bool {
    if ["identity", "boundary", "session", "resource"].contains(text) { return true }
    for prefix in ["scp[", "rcp["] where text.hasPrefix(prefix) && text.hasSuffix("]") {
      let digits = text.dropFirst(4).dropLast()
      return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
    return false
  }

  /// Reads `principal`: `arn` and `tags`.
  static func principal(_ value: JSONValue, file: String) throws(InputError) -> Principal {
    let path = JSONPath.root.appending("principal")
    guard let members = value.members else {
      throw InputError(.wrongType, "`principal` must be an object", file: file, path: path, position: value.position)
    }
    for member in members where member.key != "arn" && member.key != "tags" && member.key != "anonymous" {
      throw InputError(.unknownElement, "`\(member.key)` is not a member of `principal`", file: file,
                       path: path.appending(member.key), position: member.keyPosition)
    }
    if let anonymous = value["anonymous"] {
      guard case .bool(true) = anonymous.kind else {
        throw InputError(.wrongType, "`principal.anonymous` must be true (leave it out for a signed caller)", file: file,
                         path: path.appending("anonymous"), position: anonymous.position)
      }
      if let other = members.first(where: { $0.key != "anonymous" }) {
        throw InputError(.conflictingElements, "an anonymous caller has no `\(other.key)`", file: file,
                         path: path.appending(other.key), position: other.keyPosition)
      }
      return .anonymous
    }
    var principal = Principal.defaultSession
    if let arn = value["arn"] {
      guard let text = arn.stringValue else {
        throw InputError(.wrongType, "`principal.arn` must be a string", file: file, path: path.appending("arn"),
                         position: arn.position)
      }
      switch Principal.parse(text) {
      case .success(let parsed): principal = parsed
      case .failure(let error):
        throw InputError(.invalidPrincipal, error.message, file: file, path: path.appending("arn"), position: arn.position)
      }
    }
    if let tags = value["tags"] {
      guard let members = tags.members else {
        throw InputError(.wrongType, "`principal.tags` must be an object of strings", file: file,
                         path: path.appending("tags"), position: tags.position)
      }
      for member in members {
        guard let text = member.value.stringValue else {
          throw InputError(.wrongType, "the tag `\(member.key)` must have a string value", file: file,
                           path: path.appending("tags").appending(member.key), position: member.value.position)
        }
        if principal.tags.contains(where: { $0.key.lowercased() == member.key.lowercased() }) {
          throw InputError(.duplicateKey, "the tag key `\(member.key)` is given twice (tag keys ignore case)", file: file,
                           path: path.appending("tags").appending(member.key), position: member.keyPosition)
        }
        principal.setTag(member.key, text)
      }
    }
    return principal
  }

  /// Reads a context object: strings, numbers, booleans, or arrays of them (an array makes a multivalued key).
  static func context(_ value: JSONValue, at path: JSONPath, file: String) throws(InputError) -> RequestContext {
    guard let members = value.members else {
      throw InputError(.wrongType, "`context` must be an object", file: file, path: path, position: value.position)
    }
    var context = RequestContext()
    var seen: Set<String> = []
    for member in members {
      let keyPath = path.appending(member.key)
      guard seen.insert(member.key.lowercased()).inserted else {
        throw InputError(.duplicateKey, "the context key `\(member.key)` is given twice (keys ignore case)", file: file,
                         path: keyPath, position: member.keyPosition)
      }
      func scalar(_ item: JSONValue, at itemPath: JSONPath) throws(InputError) -> String {
        switch item.kind {
        case .string(let text): return text
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        default:
          throw InputError(.wrongType, "a context value must be a string, number, boolean or an array of them, not \(item.typeName)",
                           file: file, path: itemPath, position: item.position)
        }
      }
      if let elements = member.value.elements {
        var values: [String] = []
        for (index, element) in elements.enumerated() { values.append(try scalar(element, at: keyPath.appending(index))) }
        context.set(member.key, values: values)
      } else {
        context.set(member.key, try scalar(member.value, at: keyPath))
      }
    }
    return context
  }

  /// The folder that references in the case file at `path` are relative to: that of the file itself, absolute,
  /// with `.`, `..` and symbolic links resolved. A bare name (`case.json`), a relative or absolute path, and a
  /// symbolic link to the case file all give the folder the file really lies in, so the same file resolves its
  /// references the same way however it is named.
  static func folder(of path: String) -> String {
    let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    return url.absoluteURL.standardizedFileURL.resolvingSymlinksInPath().deletingLastPathComponent().path
  }

  /// The nearest folder above `directory` that holds `.git`, or `directory` itself when there is none.
  static func repositoryRoot(of directory: String) -> String {
    var url = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath()
    let start = url
    while true {
      if FileManager.default.fileExists(atPath: url.appendingPathComponent(".git").path) { return url.path }
      let parent = url.deletingLastPathComponent()
      if parent.path == url.path { return start.path }
      url = parent
    }
  }
}
