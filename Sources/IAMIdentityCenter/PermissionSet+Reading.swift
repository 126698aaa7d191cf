import IAMPolicy

extension PermissionSet {
  /// The members a permission set may have.
  static let members: Set<String> = [
    "Name", "Description", "SessionDuration", "RelayState", "AwsManagedPolicies", "CustomerManagedPolicyReferences",
    "InlinePolicy", "PermissionsBoundary", "PermissionSetArn", "CreatedDate",
  ]

  /// Reads and checks a permission set: errors make it unusable, quotas are findings (rule F-3).
  ///
  /// - Parameters:
  ///   - json: the permission set's JSON.
  ///   - source: the file it came from (or a description), for messages.
  ///   - basePath: where `json` sits in its file.
  /// - Returns: the permission set and every finding (warnings included).
  /// - Throws: ``InputError`` when anything is an error.
  public static func read(_ json: JSONValue, source: String, at basePath: JSONPath = .root) throws(InputError)
    -> (PermissionSet, [Diagnostic])
  {
    var findings: [Diagnostic] = []
    func report(_ code: Diagnostic.Code, _ severity: Diagnostic.Severity, _ message: String, _ key: String?,
                _ position: SourcePosition?) {
      findings.append(Diagnostic(code, severity, message, file: source,
                                 path: key.map { basePath.appending($0) } ?? basePath, position: position))
    }
    guard let members = json.members else {
      throw InputError(.wrongType, "a permission set must be a JSON object", file: source, path: basePath,
                       position: json.position)
    }
    var seen: Set<String> = []
    for member in members {
      if !seen.insert(member.key).inserted {
        report(.duplicateKey, .error, "`\(member.key)` appears more than once", member.key, member.keyPosition)
      }
      if !PermissionSet.members.contains(member.key) {
        report(.unknownElement, .error, "`\(member.key)` is not a permission-set member", member.key, member.keyPosition)
      }
    }
    func string(_ key: String) -> String? {
      guard let value = json[key] else { return nil }
      guard let text = value.stringValue else {
        report(.wrongType, .error, "`\(key)` must be a string, not \(value.typeName)", key, value.position)
        return nil
      }
      return text
    }
    let name = string("Name") ?? ""
    if json["Name"] == nil {
      report(.missingElement, .error, "a permission set needs a `Name`", nil, json.position)
    } else if !(1...32).contains(name.count) || !name.allSatisfy(isNameCharacter) {
      report(.invalidValue, .error, "the name `\(name)` must be 1 to 32 characters of letters, digits and `+=,.@_-`",
             "Name", json["Name"]?.position)
    }
    let description = string("Description")
    if let description, !(1...700).contains(description.count) {
      report(.invalidValue, .error, "the description must be 1 to 700 characters", "Description", json["Description"]?.position)
    }
    let duration = string("SessionDuration") ?? "PT1H"
    if let seconds = isoDurationSeconds(duration) {
      if !(3_600...43_200).contains(seconds) {
        report(.invalidValue, .error, "the session duration `\(duration)` must be between PT1H and PT12H",
               "SessionDuration", json["SessionDuration"]?.position)
      }
    } else {
      report(.invalidValue, .error, "the session duration `\(duration)` is not an ISO 8601 duration such as PT8H",
             "SessionDuration", json["SessionDuration"]?.position)
    }
    let arn = string("PermissionSetArn")
    if let arn, !(arn.hasPrefix("arn:aws:sso:::permissionSet/") || arn.hasPrefix("arn:aws-") && arn.contains(":sso:::permissionSet/")) {
      report(.invalidValue, .error, "`\(arn)` is not a permission-set ARN `arn:aws:sso:::permissionSet/ssoins-…/ps-…`",
             "PermissionSetArn", json["PermissionSetArn"]?.position)
    }
    _ = string("CreatedDate")
    let relayState = string("RelayState")
    if let relayState, !(1...240).contains(relayState.count) {
      report(.invalidValue, .error, "the relay state must be 1 to 240 characters", "RelayState", json["RelayState"]?.position)
    }
    var awsManaged: [String] = []
    if let value = json["AwsManagedPolicies"] {
      for (index, item) in (value.elements ?? []).enumerated() {
        guard let arn = item.stringValue, arn.hasPrefix("arn:aws:iam::aws:policy/") else {
          findings.append(Diagnostic(.invalidValue, .error, "an AWS managed policy must be an ARN `arn:aws:iam::aws:policy/…`",
                                     file: source, path: basePath.appending("AwsManagedPolicies").appending(index),
                                     position: item.position))
          continue
        }
        awsManaged.append(arn)
      }
      if value.elements == nil { report(.wrongType, .error, "`AwsManagedPolicies` must be an array of ARNs", "AwsManagedPolicies", value.position) }
    }
    var customerManaged: [CustomerManagedPolicyReference] = []
    if let value = json["CustomerManagedPolicyReferences"] {
      if value.elements == nil {
        report(.wrongType, .error, "`CustomerManagedPolicyReferences` must be an array", "CustomerManagedPolicyReferences", value.position)
      }
      for (index, item) in (value.elements ?? []).enumerated() {
        let path = basePath.appending("CustomerManagedPolicyReferences").appending(index)
        do throws(InputError) {
          customerManaged.append(try reference(item, at: path, source: source))
        } catch { findings += error.diagnostics }
      }
    }
    let managedCount = awsManaged.count + customerManaged.count
    if managedCount > 20 {
      report(.quota, .error, "a permission set may have at most 20 managed policies (AWS and customer managed); this one has \(managedCount)", nil, json.position)
    } else if managedCount > 10 {
      report(.quota, .warning, "more than 10 managed policies need the IAM quota \"managed policies per role\" raised in every account", nil, json.position)
    }
    var inline: PolicyDocument?
    if let value = json["InlinePolicy"] {
      do throws(InputError) {
        inline = try inlinePolicy(value, at: basePath.appending("InlinePolicy"), source: source, name: name)
        let size = (value.stringValue.map { Array($0.utf8) } ?? Array(value.output.rendered().utf8)).count
        if size > 10_240 {
          report(.quota, .warning, "the inline policy has \(size) characters; Identity Center documents 10,240 bytes for permission-set inline policies", "InlinePolicy", value.position)
        }
      } catch { findings += error.diagnostics }
    }
    var boundary: Boundary?
    if let value = json["PermissionsBoundary"] {
      let path = basePath.appending("PermissionsBoundary")
      if let arn = value["ManagedPolicyArn"]?.stringValue, value["CustomerManagedPolicyReference"] == nil {
        boundary = .awsManaged(arn)
      } else if let reference = value["CustomerManagedPolicyReference"], value["ManagedPolicyArn"] == nil {
        do throws(InputError) {
          boundary = .customerManaged(try self.reference(reference, at: path.appending("CustomerManagedPolicyReference"), source: source))
        } catch { findings += error.diagnostics }
      } else {
        findings.append(Diagnostic(.invalidValue, .error,
                                   "`PermissionsBoundary` needs exactly one of `ManagedPolicyArn` and `CustomerManagedPolicyReference`",
                                   file: source, path: path, position: value.position))
      }
    }
    guard !findings.containsErrors else { throw InputError(findings) }
    let permissionSet = PermissionSet(
      name: name, description: description, sessionDuration: duration, relayState: relayState,
      awsManagedPolicies: awsManaged, customerManagedPolicies: customerManaged, inlinePolicy: inline,
      permissionsBoundary: boundary, source: source, arn: arn)
    return (permissionSet, findings.sorted())
  }

  private static func reference(_ value: JSONValue, at path: JSONPath, source: String) throws(InputError)
    -> CustomerManagedPolicyReference
  {
    guard let name = value["Name"]?.stringValue, (1...128).contains(name.count), name.allSatisfy(isNameCharacter) else {
      throw InputError(.invalidValue, "a customer managed policy reference needs a `Name` of 1 to 128 characters of letters, digits and `+=,.@_-`",
                       file: source, path: path, position: value.position)
    }
    let policyPath = value["Path"]?.stringValue ?? "/"
    guard policyPath.hasPrefix("/"), policyPath.hasSuffix("/"), (1...512).contains(policyPath.count) else {
      throw InputError(.invalidValue, "the path `\(policyPath)` must begin and end with `/`", file: source,
                       path: path.appending("Path"), position: value["Path"]?.position)
    }
    return CustomerManagedPolicyReference(name: name, path: policyPath)
  }

  /// The inline policy: a policy object, or the policy as a JSON string as the API takes it.
  private static func inlinePolicy(_ value: JSONValue, at path: JSONPath, source: String, name: String) throws(InputError)
    -> PolicyDocument
  {
    let label = "permission set \(name) inline policy"
    if let text = value.stringValue {
      let json: JSONValue
      do { json = try JSONReader().read(text) } catch {
        throw InputError(.jsonSyntax, "the inline policy string is not JSON: \(error.message)", file: source, path: path,
                         position: value.position)
      }
      return try PolicyDocument(json: json, name: label, kind: .identity, file: source, at: path)
    }
    return try PolicyDocument(json: value, name: label, kind: .identity, file: source, at: path)
  }

  static func isNameCharacter(_ character: Character) -> Bool {
    character.isASCII && (character.isLetter || character.isNumber || "+=,.@_-".contains(character))
  }

  /// Seconds in an ISO 8601 duration of hours, minutes and seconds (`PT8H`, `PT1H30M`), or `nil`.
  static func isoDurationSeconds(_ text: String) -> Int? {
    guard text.hasPrefix("PT"), text.count > 2 else { return nil }
    var total = 0
    var number = ""
    for character in text.dropFirst(2) {
      if character.isASCII && character.isNumber {
        number.append(character)
        continue
      }
      guard let value = Int(number) else { return nil }
      switch character {
      case "H": total += value * 3600
      case "M": total += value * 60
      case "S": total += value
      default: return nil
      }
      number = ""
    }
    return number.isEmpty ? total : nil
  }
}

extension Diagnostic.Code {
  public static let missingElement: Self = "permission-set.missing-element"
  public static let invalidValue: Self = "permission-set.invalid-value"
  public static let quota: Self = "permission-set.quota"
}
