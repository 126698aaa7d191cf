import IAMPolicy

/// An action name that a request names and the catalog does not know, with the closest real names.
///
/// IAM evaluates any `service:Action` string, so a request with a misspelled or made-up action is still decided
/// (a policy with `"Action": "*"` or `"s3:*"` allows it); this says that the name does not exist.
public struct UnknownActionName: Sendable, Hashable {
  /// The action as the request spells it.
  public let action: String
  /// Whether the catalog has a service with the action's prefix.
  public let serviceExists: Bool
  /// The closest real names, closest first: qualified action names, or (for an unknown prefix whose action
  /// name no close service has) service prefixes. Empty when nothing is close.
  public let suggestions: [String]
  /// When the catalog's data was last updated (`2026-08-21`), when known.
  public let dataDate: String?

  /// The diagnostic code of a request's unknown action.
  public static let code: Diagnostic.Code = "request.unknown-action"

  /// One sentence: what is unknown, and the closest real names.
  ///
  /// "`s3:DeleteBuckets` is not an action of the AWS service authorization catalog (data of 2026-08-21); did you
  /// mean `s3:DeleteBucket`?"
  public var message: String {
    var text = "`\(action)` is not an action of the AWS service authorization catalog"
    if let dataDate { text += " (data of \(dataDate))" }
    let prefix = action.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? action
    if !serviceExists { text += "; no service has the prefix `\(prefix)`" }
    if suggestions.isEmpty {
      text += serviceExists ? "; `iamsim expand '\(prefix.lowercased()):*'` lists the actions of `\(prefix.lowercased())`" : ""
    } else {
      let quoted = suggestions.map { "`\($0)`" }
      let list = quoted.count == 1 ? quoted[0] : quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
      text += "; did you mean \(list)?"
    }
    return text
  }

  /// The finding as a diagnostic (a warning by default).
  public func diagnostic(
    _ severity: Diagnostic.Severity = .warning, file: String? = nil, path: JSONPath = .root, position: SourcePosition? = nil
  ) -> Diagnostic {
    Diagnostic(UnknownActionName.code, severity, message, file: file, path: path, position: position)
  }
}

extension Catalog {
  /// Whether the catalog has the action with this qualified name, ignoring ASCII case: what
  /// ``action(named:)`` says, without building anything.
  ///
  /// - Complexity: O(log s + log a) for s services and a actions in the service; no allocation.
  public func hasAction(_ qualifiedName: String) -> Bool {
    var name = qualifiedName
    return name.withUTF8 { bytes in
      guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
      let prefix = bytes[..<colon].lazy.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
      guard let service = storage.serviceIndex(prefix: prefix) else { return false }
      return storage.actionIndex(service: service, named: bytes[(colon + 1)...]) != nil
    }
  }

  /// Whether a request's action names an action of the catalog; if not, what is unknown and the closest names.
  ///
  /// Action names compare regardless of ASCII case, as IAM compares them.
  ///
  /// - Returns: `nil` when the catalog has the action.
  /// - Complexity: O(log s + log a) for a known action; for an unknown one, O(n·m) over the names compared.
  public func unknownAction(_ name: String) -> UnknownActionName? {
    guard !hasAction(name) else { return nil }
    let prefix = name.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? name
    let date = metadata.dataDate.map { String($0.prefix(10)) }
    return UnknownActionName(action: name, serviceExists: service(prefix: prefix) != nil,
                             suggestions: suggestions(forAction: name), dataDate: date)
  }

  /// The real names closest to an action name the catalog does not know, closest first, at most `limit`.
  ///
  /// Within a known service: its actions nearest by edit distance (`s3:DeleteBuckets` → `s3:DeleteBucket`). For
  /// an unknown prefix: the nearest service prefixes, as `prefix:Action` where that service has the action
  /// (`s4:GetObject` → `s3:GetObject`), else as the prefix alone. Distances ignore ASCII case and count a swap of
  /// two neighbouring letters as one edit; names too far to be a slip of the keyboard are left out.
  ///
  /// - Returns: the empty list when the catalog has the action, or nothing is close.
  /// - Complexity: O(n·m) in the lengths of the names compared.
  public func suggestions(forAction name: String, limit: Int = 3) -> [String] {
    guard action(named: name) == nil, limit > 0 else { return [] }
    let parts = name.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    let prefix = Array(CatalogOrder.lowercasedASCII(String(parts[0])).utf8)
    let actionName = parts.count == 2 ? String(parts[1]) : ""
    let wanted = Array(CatalogOrder.lowercasedASCII(actionName).utf8)

    if let service = service(prefix: String(parts[0])) {
      guard !wanted.isEmpty else { return [] }
      let ranked = service.actions.compactMap { action -> (Int, String)? in
        let candidate = Array(CatalogOrder.lowercasedASCII(action.name).utf8)
        let bound = EditDistance.bound(wanted.count, candidate.count)
        guard let distance = EditDistance.between(wanted, candidate, atMost: bound) else { return nil }
        return (distance, action.qualifiedName)
      }
      return EditDistance.closest(ranked, limit: limit, slack: 1)
    }
    guard !prefix.isEmpty else { return [] }
    let ranked = services.compactMap { service -> (Int, String)? in
      let candidate = Array(service.prefix.utf8)
      let bound = EditDistance.bound(prefix.count, candidate.count)
      guard let distance = EditDistance.between(prefix, candidate, atMost: bound) else { return nil }
      if !wanted.isEmpty, let action = service.action(named: actionName) { return (distance * 2, action.qualifiedName) }
      return (distance * 2 + 1, service.prefix)
    }
    return EditDistance.closest(ranked, limit: limit, slack: 2)
  }
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours, each one edit.
enum EditDistance {
  /// The farthest a name may be from another to be suggested for it: a third of the longer one, at least 2.
  static func bound(_ left: Int, _ right: Int) -> Int {
    max(2, max(left, right) / 3)
  }

  /// The distance between two byte strings, or `nil` when it exceeds `limit`.
  ///
  /// - Complexity: O(n·m).
  static func between(_ a: [UInt8], _ b: [UInt8], atMost limit: Int) -> Int? {
    if abs(a.count - b.count) > limit { return nil }
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    let width = b.count + 1
    var previous2 = [Int](repeating: 0, count: width)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: width)
    for i in 1...a.count {
      current[0] = i
      var rowMinimum = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, previous2[j - 2] + 1) }
        current[j] = value
        rowMinimum = min(rowMinimum, value)
      }
      if rowMinimum > limit { return nil }
      (previous2, previous, current) = (previous, current, previous2)
    }
    let distance = previous[b.count]
    return distance <= limit ? distance : nil
  }

  /// The names of the smallest scores, ties by name, keeping only those within `slack` of the best score.
  static func closest(_ ranked: [(Int, String)], limit: Int, slack: Int) -> [String] {
    let sorted = ranked.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    guard let best = sorted.first?.0 else { return [] }
    return sorted.prefix { $0.0 <= best + slack }.prefix(limit).map(\.1)
  }
}
