extension PolicyReader {
  static let statementElements: Set<String> = [
    "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
  ]

  mutating func readStatement(_ value: JSONValue, index: Int, at path: JSONPath) -> Statement? {
    guard let members = value.members else {
      report(.wrongType, .error, "a statement must be a JSON object, not \(value.typeName)", at: path, value.position)
      return nil
    }
    let errorsBefore = diagnostics.filter { $0.severity == .error }.count
    let byKey = uniqueMembers(members, at: path)
    for member in members where !PolicyReader.statementElements.contains(member.key) {
      report(.unknownElement, .error, "the policy element `\(member.key)` is not valid", at: path.appending(member.key),
             member.keyPosition)
    }
    let sid = readSid(byKey["Sid"], at: path)
    let effect = readEffect(byKey["Effect"], at: path, statementPosition: value.position)
    let principal = readPrincipal(byKey, effect: effect, at: path, statementPosition: value.position)
    let action = readActions(byKey, at: path, statementPosition: value.position)
    let (resource, resourceProblem) = readResources(byKey, at: path, statementPosition: value.position)
    let conditions = byKey["Condition"].map { readConditions($0.value, at: path.appending("Condition")) } ?? []
    if kind == .resourceControl, effect == .allow, !isAllowEverything(principal, action, resource, conditions) {
      report(.rcpAllowNotSupported, .error,
             "resource control policies support `Allow` only in the AWS managed RCPFullAWSAccess statement; customer statements must deny",
             at: path.appending("Effect"), byKey["Effect"]?.value.position)
    }
    let errorsAfter = diagnostics.filter { $0.severity == .error }.count
    guard errorsAfter == errorsBefore, let effect, let action else { return nil }
    var statement = Statement(
      index: index, sid: sid, effect: effect, principal: principal, action: action, resource: resource,
      conditions: conditions, path: path, position: value.position)
    statement.unusableReason = resourceProblem
    return statement
  }

  private func isAllowEverything(
    _ principal: PrincipalClause?, _ action: ActionClause?, _ resource: ResourceClause?, _ conditions: [Condition]
  ) -> Bool {
    principal?.values == [.anyone] && principal?.isNegated == false && action?.isNegated == false
      && action?.patterns.map(\.source) == ["*"] && resource?.patterns.map(\.source) == ["*"] && conditions.isEmpty
  }

  mutating func readSid(_ member: JSONValue.Member?, at path: JSONPath) -> String? {
    guard let member else { return nil }
    guard let sid = member.value.stringValue else {
      report(.wrongType, .error, "`Sid` must be a string, not \(member.value.typeName)", at: path.appending("Sid"),
             member.value.position)
      return nil
    }
    // Byte by byte: the same answer as `allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }`, without Character properties.
    if !sid.utf8.allSatisfy(isAlphanumeric) {
      report(.invalidSid, kind.hasPrincipal ? .warning : .error,
             "update the characters in the Sid `\(sid)` to use only the character types [a-z, A-Z, 0-9]",
             at: path.appending("Sid"), member.value.position)
    }
    return sid
  }

  mutating func readEffect(_ member: JSONValue.Member?, at path: JSONPath, statementPosition: SourcePosition)
    -> Statement.Effect?
  {
    guard let member else {
      report(.missingEffect, .error, "add an `Effect` element to the statement with the value `Allow` or `Deny`", at: path,
             statementPosition)
      return nil
    }
    guard let text = member.value.stringValue, let effect = Statement.Effect(rawValue: text) else {
      report(.invalidEffect, .error,
             "the effect `\(member.value.stringValue ?? member.value.typeName)` is not valid; use `Allow` or `Deny` (the value is case sensitive)",
             at: path.appending("Effect"), member.value.position)
      return nil
    }
    return effect
  }

  /// A string or an array of strings (rule G-13), each with its path and position.
  mutating func stringList(_ value: JSONValue, at path: JSONPath, element: String) -> [(String, JSONPath, SourcePosition)]? {
    switch value.kind {
    case .string(let text): return [(text, path, value.position)]
    case .array(let elements):
      var result: [(String, JSONPath, SourcePosition)] = []
      for (index, item) in elements.enumerated() {
        guard let text = item.stringValue else {
          report(.wrongType, .error, "each value of `\(element)` must be a string, not \(item.typeName)",
                 at: path.appending(index), item.position)
          continue
        }
        result.append((text, path.appending(index), item.position))
      }
      return result
    default:
      report(.wrongType, .error, "`\(element)` must be a string or an array of strings, not \(value.typeName)", at: path,
             value.position)
      return nil
    }
  }

  mutating func readActions(_ byKey: [String: JSONValue.Member], at path: JSONPath, statementPosition: SourcePosition)
    -> ActionClause?
  {
    let action = byKey["Action"]
    let notAction = byKey["NotAction"]
    if action != nil && notAction != nil {
      report(.conflictingElements, .error, "the policy elements `Action` and `NotAction` can not be used in the same statement",
             at: path.appending("NotAction"), notAction?.keyPosition)
      return nil
    }
    guard let member = action ?? notAction else {
      report(.missingAction, .error, "add an `Action` or `NotAction` element to the policy statement", at: path,
             statementPosition)
      return nil
    }
    if notAction != nil && kind == .resourceControl {
      report(.elementNotSupported, .error, "resource control policies do not support `NotAction`",
             at: path.appending("NotAction"), member.keyPosition)
    }
    let elementPath = path.appending(member.key)
    guard let values = stringList(member.value, at: elementPath, element: member.key) else { return nil }
    if values.isEmpty {
      report(.emptyList, .warning, "this statement includes no actions and does not affect the policy", at: elementPath,
             member.value.position)
    }
    var patterns: [ActionPattern] = []
    for (text, valuePath, position) in values {
      switch ActionPattern.compile(text) {
      case .success(let pattern): patterns.append(pattern)
      case .failure(let error):
        let code: Diagnostic.Code = text.contains("${") ? .variableNotAllowed : .invalidAction
        report(code, .error, error.message, at: valuePath, position)
      }
    }
    return ActionClause(isNegated: notAction != nil, patterns: patterns)
  }

  /// The `Resource` or `NotResource` element, and why the statement cannot be evaluated when a value is an ARN
  /// that IAM accepts but AWS documents no match for.
  mutating func readResources(_ byKey: [String: JSONValue.Member], at path: JSONPath, statementPosition: SourcePosition)
    -> (ResourceClause?, unusableReason: String?)
  {
    let resource = byKey["Resource"]
    let notResource = byKey["NotResource"]
    if resource != nil && notResource != nil {
      report(.conflictingElements, .error,
             "the policy elements `Resource` and `NotResource` can not be used in the same statement",
             at: path.appending("NotResource"), notResource?.keyPosition)
      return (nil, nil)
    }
    guard let member = resource ?? notResource else {
      if kind == .resource {
        report(.missingResource, .warning,
               "the statement has no `Resource`; it applies to the resource the policy is attached to", at: path,
               statementPosition)
      } else {
        report(.missingResource, .error, "add a `Resource` or `NotResource` element to the policy statement", at: path,
               statementPosition)
      }
      return (nil, nil)
    }
    let elementPath = path.appending(member.key)
    guard let values = stringList(member.value, at: elementPath, element: member.key) else { return (nil, nil) }
    if values.isEmpty {
      report(.emptyList, .warning, "this statement includes no resources and does not affect the policy",
             at: elementPath, member.value.position)
    }
    let isNegated = notResource != nil
    var patterns: [ResourcePattern] = []
    var unusable: [String] = []
    for (text, valuePath, position) in values {
      switch resourceValue(text, at: valuePath, position) {
      case .pattern(let pattern): patterns.append(pattern)
      case .unusable(let reason):
        unusable.append(reason)
        // Failing closed: in `Resource` the value may match anything (a Deny applies, and the statement's Allow
        // never does); in `NotResource` it excludes nothing.
        if !isNegated { patterns.append(ResourcePattern(source: text, matcher: .anything)) }
      case .invalid: break
      }
    }
    return (ResourceClause(isNegated: isNegated, patterns: patterns), unusable.isEmpty ? nil : unusable.joined(separator: "; "))
  }

  /// What one `Resource` value reads as.
  enum ResourceValue {
    /// A pattern to match.
    case pattern(ResourcePattern)
    /// An ARN IAM accepts but whose match AWS does not document: the statement fails closed.
    case unusable(String)
    /// An error was reported.
    case invalid
  }

  /// Reads one `Resource` value: `*`, or an ARN whose variables may stand in any field.
  mutating func resourceValue(_ text: String, at path: JSONPath, _ position: SourcePosition) -> ResourceValue {
    if text == "*" { return .pattern(ResourcePattern(source: text, matcher: .anything)) }
    let template: VariableTemplate
    do {
      template = try VariableTemplate(text, substitutes: version.substitutesVariables)
    } catch {
      report(.invalidVariable, .error, "\(error.message) in `\(text)`", at: path, position)
      return .invalid
    }
    if !version.substitutesVariables && text.holdsVariableOpening {
      report(.versionDisablesVariables, .warning,
             "to include variables in your policy, use the policy version 2012-10-17; here `\(text)` is literal text",
             at: path, position)
    }
    // The shape is checked with each variable standing for a value without colons.
    guard ARNPattern(pieces: template.resolvedPieces({ _ in "x" }) ?? []) != nil else {
      guard text.hasPrefix("arn:") else {
        report(.invalidResource, .error, "the resource `\(text)` must be an ARN or `*`", at: path, position)
        return .invalid
      }
      report(.missingARNField, .warning,
             "the resource `\(text)` has fewer than the six fields of `arn:partition:service:region:account:resource` (Access Analyzer: `Missing ARN field`); IAM accepts the policy, AWS documents no match for it, and iamsim fails the statement closed",
             at: path, position)
      return .unusable("the resource `\(text)` has fewer than six ARN fields")
    }
    guard template.hasVariables else {
      return .pattern(ResourcePattern(source: text, matcher: .arn(ARNPattern(pieces: template.resolvedPieces({ _ in nil }) ?? [])!)))
    }
    if let field = PolicyReader.fieldOfFirstVariable(template), field < 5 {
      let names = ["arn", "partition", "service", "Region", "account"]
      let findings = [nil, "Invalid partition", "Invalid service", "Invalid ARN Region", "Invalid ARN account"]
      let analyzer = findings[field].map { " (Access Analyzer may report it as `\($0)`)" } ?? ""
      report(.variableBeforeResourcePart, .warning,
             "`\(text)` uses a policy variable in the \(names[field]) field; AWS documents variables only in the resource part after the fifth colon\(analyzer); IAM accepts the policy, and iamsim resolves the variable like any other",
             at: path, position)
    }
    return .pattern(ResourcePattern(source: text, matcher: .template(template)))
  }

  /// The ARN field (0 `arn` … 5 resource) in which the template's first variable stands: the colons in the
  /// policy text before it.
  static func fieldOfFirstVariable(_ template: VariableTemplate) -> Int? {
    var colons = 0
    for piece in template.pieces {
      switch piece {
      case .text(let text), .escaped(let text): colons += text.utf8.count(where: { $0 == UInt8(ascii: ":") })
      case .variable: return min(colons, 5)
      }
    }
    return nil
  }
}
