import Foundation
import IAMPolicy

/// Decides conditions: missing keys, `IfExists`, `Null`, set qualifiers and negation (rules C-1…C-13, V-4).
enum ConditionEvaluator {
  /// Evaluates one condition against a request context; `entry` is the context's entry for the condition's key.
  ///
  /// - Complexity: O(r·p) in the request's and the policy's value counts.
  static func evaluate(_ condition: CompiledCondition, entry: ContextIndex.Entry?, in context: ContextIndex)
    -> ConditionResult
  {
    // A condition IAM accepts but that cannot be evaluated as written (a value of the wrong type for its operator)
    // fails closed, whatever the request holds.
    if let reason = condition.unusableReason { return .unreadable(reason) }
    let op = condition.conditionOperator
    let present = entry.map { !$0.values.isEmpty } ?? false
    if op.base == .null {
      // Rule C-4: `true` holds when the key is absent, `false` when it is present.
      return condition.flags.contains(!present) ? .holds : .fails
    }
    guard let entry, present else {
      // Rules C-2, C-3, C-12: a missing key.
      switch op.qualifier {
      case .forAllValues: return .holds
      case .forAnyValue: return .fails
      case nil: return op.ifExists || op.base.isNegated ? .holds : .fails
      }
    }
    switch op.qualifier {
    case nil:
      // Rule C-13: an unqualified operator never matches a multivalued request value.
      if entry.isMultivalued { return .fails }
      return matches(entry.values[0], condition, context)
    case .forAllValues:
      for value in entry.values {
        let result = matches(value, condition, context)
        if result != .holds { return result }
      }
      return .holds
    case .forAnyValue:
      var unreadable: ConditionResult?
      for value in entry.values {
        let result = matches(value, condition, context)
        if result == .holds { return .holds }
        if case .unreadable = result { unreadable = result }
      }
      return unreadable ?? .fails
    }
  }

  /// Whether one request value satisfies the operator against the policy values (OR; NOR when negated).
  private static func matches(_ value: String, _ condition: CompiledCondition, _ context: ContextIndex)
    -> ConditionResult
  {
    let base = condition.conditionOperator.base
    // A local function, not a closure in a `let`: passed only as a non-escaping argument, it is not boxed.
    func variable(_ key: ContextKey) -> String? { context.singleValue(key) }
    if base.family == .stringLike || base.family == .arn, value.utf8.count > PreparedRequest.maximumMatchedLength {
      return .unreadable("the value is \(value.utf8.count) bytes long; iamsim matches at most \(PreparedRequest.maximumMatchedLength)")
    }
    switch base.family {
    case .string:
      let ignoreCase = base == .stringEqualsIgnoreCase || base == .stringNotEqualsIgnoreCase
      // Exact comparison, byte for byte (no Unicode normalisation: `é` and `e` + U+0301 differ), as the Like
      // operators and ARN matching compare; IgnoreCase lower-cases each Unicode scalar on its own.
      let requestValue = ignoreCase ? StringComparison.lowercased(value) : value
      let anyEqual = condition.values.contains { policyValue in
        if let constant = policyValue.constantText { return StringComparison.equal(constant, requestValue) }
        let template = policyValue.value.template
        if let equal = asciiEqual(template, variable, value, ignoreCase: ignoreCase) { return equal }
        guard let text = template.resolvedText(hashed: variable) else { return false }
        return StringComparison.equal(ignoreCase ? StringComparison.lowercased(text) : text, requestValue)
      }
      return result(anyEqual, negated: base.isNegated)
    case .stringLike:
      let anyMatch = condition.values.contains { policyValue in
        if case .pattern(let pattern) = policyValue.value.parsed { return pattern.matches(value) }
        let template = policyValue.value.template
        let fast = template.withResolvedBytes(variable, wildcards: true) { pattern, _ -> Bool? in
          WildcardPattern.matches(encoded: pattern, value)
        }
        switch fast {
        case .resolved(let matched?): return matched
        case .unresolved: return false
        case .resolved(nil), .tooLong:
          guard let pieces = template.resolvedPieces(hashed: variable) else { return false }
          return WildcardPattern(pieces: pieces).matches(value)
        }
      }
      return result(anyMatch, negated: base.isNegated)
    case .arn:
      let name = ResourceName(value)
      guard name.isARN else { return .unreadable("`\(value)` is not an ARN, so `\(base.rawValue)` cannot compare it") }
      let anyMatch = condition.values.contains { policyValue in
        if case .arn(let pattern) = policyValue.value.parsed { return pattern.matches(name) }
        return policyValue.value.template.matchesARN(name, value: variable)
      }
      return result(anyMatch, negated: base.isNegated)
    case .numeric:
      guard let number = DecimalNumber(value) else { return .unreadable("`\(value)` is not a number") }
      let anyMatch = condition.numbers.contains { compare(number, $0, base) }
      return result(anyMatch, negated: base.isNegated)
    case .date:
      guard let date = DateValue(value) else { return .unreadable("`\(value)` is not a date") }
      let anyMatch = condition.dates.contains { compare(date, $0, base) }
      return result(anyMatch, negated: base.isNegated)
    case .bool:
      guard let flag = readFlag(value) else { return .unreadable("`\(value)` is not `true` or `false`") }
      return result(condition.flags.contains(flag), negated: false)
    case .binary:
      guard let data = Data(base64Encoded: value) else { return .unreadable("`\(value)` is not base64") }
      let bytes = Array(data)
      return result(condition.values.contains { $0.value.parsed == .binary(bytes) }, negated: false)
    case .ipAddress:
      guard let address = IPAddressRange(value), address.prefixLength == (address.isIPv6 ? 128 : 32) else {
        return .unreadable("`\(value)` is not an IP address")
      }
      let anyMatch = condition.ranges.contains { $0.contains(address) }
      return result(anyMatch, negated: base.isNegated)
    case .null:
      return .fails
    }
  }

  /// Whether a template with variables, resolved, equals the request value, compared without building the
  /// resolved text; `nil` (take the general path) unless both are ASCII, where String equality (canonical
  /// equivalence) and `lowercased()` come down to bytes and ASCII case.
  private static func asciiEqual(
    _ template: VariableTemplate, _ variable: (ContextKey) -> String?, _ value: String, ignoreCase: Bool
  ) -> Bool? {
    var value = value
    return value.withUTF8 { requestBytes -> Bool? in
      guard requestBytes.allSatisfy({ $0 < 0x80 }) else { return nil }
      let resolution = template.withResolvedBytes(variable, wildcards: false) { policyBytes, isASCII -> Bool? in
        guard isASCII else { return nil }
        guard policyBytes.count == requestBytes.count else { return false }
        for offset in 0..<policyBytes.count {
          let policyByte = policyBytes[offset]
          let requestByte = requestBytes[offset]
          if ignoreCase ? asciiLowercase(policyByte) != asciiLowercase(requestByte) : policyByte != requestByte {
            return false
          }
        }
        return true
      }
      switch resolution {
      case .resolved(let equal): return equal
      case .unresolved: return false
      case .tooLong: return nil
      }
    }
  }

  /// `true` or `false` regardless of case, as `value.lowercased()` reads them; ASCII text by its bytes.
  private static func readFlag(_ value: String) -> Bool? {
    var text = value
    let ascii = text.withUTF8 { bytes -> Bool?? in
      guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
      func spells(_ word: StaticString) -> Bool {
        word.utf8CodeUnitCount == bytes.count
          && (0..<bytes.count).allSatisfy { asciiLowercase(bytes[$0]) == word.utf8Start[$0] }
      }
      return .some(spells("true") ? true : spells("false") ? false : nil)
    }
    if let ascii { return ascii }
    switch value.lowercased() {
    case "true": return true
    case "false": return false
    default: return nil
    }
  }

  private static func result(_ anyMatch: Bool, negated: Bool) -> ConditionResult {
    anyMatch != negated ? .holds : .fails
  }

  private static func compare<T: Comparable>(_ request: T, _ policy: T, _ base: ConditionOperator.Base) -> Bool {
    switch base {
    case .numericEquals, .numericNotEquals, .dateEquals, .dateNotEquals: request == policy
    case .numericLessThan, .dateLessThan: request < policy
    case .numericLessThanEquals, .dateLessThanEquals: request <= policy
    case .numericGreaterThan, .dateGreaterThan: request > policy
    case .numericGreaterThanEquals, .dateGreaterThanEquals: request >= policy
    default: false
    }
  }
}
