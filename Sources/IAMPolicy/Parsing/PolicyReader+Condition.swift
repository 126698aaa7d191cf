import Foundation

extension PolicyReader {
  mutating func readConditions(_ value: JSONValue, at path: JSONPath) -> [Condition] {
    guard let blocks = value.members else {
      report(.wrongType, .error, "`Condition` must be an object of operators, not \(value.typeName)", at: path,
             value.position)
      return []
    }
    _ = uniqueMembers(blocks, at: path)
    var conditions: [Condition] = []
    for block in blocks {
      let blockPath = path.appending(block.key)
      if ConditionOperator.hasSeveralQualifiers(block.key) {
        report(.multipleSetQualifiers, .error,
               "the condition operator `\(block.key)` is not valid: an operator takes one set qualifier at most, `ForAllValues` or `ForAnyValue`",
               at: blockPath, block.keyPosition)
        continue
      }
      guard let conditionOperator = ConditionOperator(block.key),
        !(conditionOperator.base == .null && conditionOperator.qualifier != nil)
      else {
        report(.unknownOperator, .error, "the condition operator `\(block.key)` is not valid (operator names are case sensitive)",
               at: blockPath, block.keyPosition)
        continue
      }
      if conditionOperator.base == .null && conditionOperator.ifExists {
        report(.nullWithIfExists, .error, "the `Null` operator cannot be combined with `IfExists`", at: blockPath,
               block.keyPosition)
        continue
      }
      guard let keys = block.value.members else {
        report(.wrongType, .error, "the operator `\(block.key)` must hold an object of condition keys, not \(block.value.typeName)",
               at: blockPath, block.value.position)
        continue
      }
      _ = uniqueMembers(keys, at: blockPath)
      var seenKeys: [String: String] = [:]
      for key in keys {
        let keyPath = blockPath.appending(key.key)
        let lookupKey = key.key.lowercased()
        if let earlier = seenKeys[lookupKey], earlier != key.key {
          report(.duplicateConditionKey, .error,
                 "the condition key `\(key.key)` appears more than once with different capitalization in the same condition block",
                 at: keyPath, key.keyPosition)
          continue
        }
        seenKeys[lookupKey] = key.key
        if let condition = readCondition(conditionOperator, key: key, lookupKey: lookupKey, at: keyPath) {
          conditions.append(condition)
        }
      }
    }
    return conditions
  }

  private mutating func readCondition(
    _ conditionOperator: ConditionOperator, key: JSONValue.Member, lookupKey: String, at path: JSONPath
  ) -> Condition? {
    let parts = key.key.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !key.key.holdsVariableOpening else {
      report(.invalidConditionKey, .error, "the condition key `\(key.key)` is not valid; use the format `service:keyname`",
             at: path, key.keyPosition)
      return nil
    }
    checkKnownKey(key.key, lookupKey: lookupKey, conditionOperator: conditionOperator, at: path, key.keyPosition)
    guard let rawValues = conditionValues(key.value, at: path) else { return nil }
    let base = conditionOperator.base
    if rawValues.isEmpty {
      report(.emptyConditionValues, .suggestion,
             conditionOperator.qualifier == .forAllValues || conditionOperator.ifExists
               ? "the condition has no values, so it holds only when the key is missing from the request"
               : "the condition has no values, so it never holds",
             at: path, key.value.position)
    }
    var unusable: [String] = []
    if base == .bool && conditionOperator.qualifier == nil && rawValues.count > 1 {
      report(.multipleBooleans, .warning,
             "the condition key `\(key.key)` does not support multiple Boolean values (Access Analyzer: `Invalid condition multiple Boolean`); IAM accepts the policy, AWS documents no result for it, and iamsim fails the condition closed",
             at: path, key.value.position)
      unusable.append("`Bool` with several values for `\(key.key)`, for which AWS documents no result")
    }
    var values: [ConditionValue] = []
    for (text, valuePath, position) in rawValues {
      guard let read = conditionValue(text, for: base, at: valuePath, position) else { return nil }
      values.append(read.value)
      if let reason = read.unusableReason { unusable.append(reason) }
    }
    var condition = Condition(
      conditionOperator: conditionOperator, key: key.key, lookupKey: lookupKey, values: values, path: path,
      position: key.keyPosition)
    if !unusable.isEmpty { condition.unusableReason = unusable.joined(separator: "; ") }
    return condition
  }

  /// The values of one condition key: scalars or an array of scalars of one JSON type (rule G-10).
  private mutating func conditionValues(_ value: JSONValue, at path: JSONPath) -> [(String, JSONPath, SourcePosition)]? {
    func scalar(_ item: JSONValue, at itemPath: JSONPath) -> String? {
      switch item.kind {
      case .string(let text): return text
      case .number(let text): return text
      case .bool(let flag): return flag ? "true" : "false"
      default:
        report(.wrongType, .error, "a condition value must be a string, number or boolean, not \(item.typeName)",
               at: itemPath, item.position)
        return nil
      }
    }
    guard let elements = value.elements else {
      return scalar(value, at: path).map { [($0, path, value.position)] }
    }
    var result: [(String, JSONPath, SourcePosition)] = []
    for (index, element) in elements.enumerated() {
      if let text = scalar(element, at: path.appending(index)) {
        result.append((text, path.appending(index), element.position))
      }
    }
    guard result.count == elements.count else { return nil }
    if Set(elements.map(\.typeName)).count > 1 {
      report(.mixedValueTypes, .error, "the condition value data types do not match", at: path, value.position)
      return nil
    }
    return result
  }

  /// One value read for its operator, and why the condition cannot be evaluated when the value cannot be read for
  /// it; `nil` only for a malformed policy variable, which is an error.
  private mutating func conditionValue(
    _ text: String, for base: ConditionOperator.Base, at path: JSONPath, _ position: SourcePosition
  ) -> (value: ConditionValue, unusableReason: String?)? {
    let substitutes = version.substitutesVariables
    if !base.acceptsVariables && substitutes && text.holdsVariableOpening {
      // "You can't use a policy variable with other operators, such as Numeric, Date, Boolean, Binary, IP Address,
      // or Null operators": the text stays literal, which no such operator can read.
      report(.variableNotSubstituted, .warning,
             "`\(text)`: policy variables can only be used with String and ARN operators (Access Analyzer: `Invalid variable for operator`); `\(base.rawValue)` reads it as literal text, so iamsim fails the condition closed",
             at: path, position)
      return (literal(text), "`\(text)` holds a policy variable, which `\(base.rawValue)` does not substitute")
    }
    let template: VariableTemplate
    do {
      template = try VariableTemplate(text, substitutes: substitutes && base.acceptsVariables)
    } catch {
      report(.invalidVariable, .error, "\(error.message) in `\(text)`", at: path, position)
      return nil
    }
    if !substitutes && base.acceptsVariables && text.holdsVariableOpening {
      report(.versionDisablesVariables, .warning,
             "to include variables in your policy, use the policy version 2012-10-17; here `\(text)` is literal text",
             at: path, position)
    }
    func mismatch(_ what: String, finding: String?) -> (value: ConditionValue, unusableReason: String?) {
      let analyzer = finding.map { " (Access Analyzer: `\($0)`)" } ?? ""
      report(.typeMismatch, .warning,
             "`\(text)` is not \(what), as `\(base.rawValue)` requires\(analyzer); IAM accepts the policy, and iamsim fails the condition closed",
             at: path, position)
      return (ConditionValue(text: text, template: template, parsed: .text), "`\(text)` is not \(what), as `\(base.rawValue)` requires")
    }
    let parsed: ConditionValue.Parsed
    switch base.family {
    case .string:
      if base == .stringEquals || base == .stringNotEquals,
        template.pieces.contains(where: { if case .text(let t) = $0 { t.contains("*") || t.contains("?") } else { false } })
      {
        report(.literalWildcard, .warning,
               "`\(text)` includes a * or ? character, which `\(base.rawValue)` compares literally; if you meant a wildcard, use a Like operator",
               at: path, position)
      }
      parsed = .text
    case .stringLike:
      parsed = template.hasVariables ? .text : .pattern(WildcardPattern(pieces: template.resolvedPieces({ (_: String) in nil }) ?? []))
    case .arn:
      if template.hasVariables {
        parsed = .text
      } else {
        guard let pattern = ARNPattern(pieces: template.resolvedPieces({ (_: String) in nil }) ?? []) else {
          return mismatch("an ARN pattern of six fields", finding: nil)
        }
        parsed = .arn(pattern)
      }
    case .numeric:
      guard let number = DecimalNumber(text) else { return mismatch("a number", finding: "Type mismatch number") }
      parsed = .number(number)
    case .date:
      guard let date = DateValue(text) else {
        return mismatch("a date (ISO 8601 such as 2026-01-01T00:00:00Z, or epoch seconds)", finding: "Type mismatch date")
      }
      if text.utf8.count == 4 {
        report(.invalidConditionValue, .warning, "the date `\(text)` is read as a year, not as epoch seconds", at: path,
               position)
      }
      parsed = .date(date)
    case .bool, .null:
      switch text.lowercased() {
      case "true": parsed = .bool(true)
      case "false": parsed = .bool(false)
      default: return mismatch("`true` or `false`", finding: "Type mismatch Boolean")
      }
    case .binary:
      guard let data = Data(base64Encoded: text) else {
        return mismatch("base64-encoded binary data", finding: "Type mismatch string")
      }
      parsed = .binary(Array(data))
    case .ipAddress:
      guard let range = IPAddressRange(text) else {
        return mismatch("an IPv4 or IPv6 address or CIDR range", finding: "Type mismatch IP range")
      }
      parsed = .ipRange(range)
    }
    return (ConditionValue(text: text, template: template, parsed: parsed), nil)
  }

  /// A value kept as literal text, for a condition that fails closed.
  private func literal(_ text: String) -> ConditionValue {
    ConditionValue(text: text, template: VariableTemplate(pieces: [.text(text)], source: text), parsed: .text)
  }
}
