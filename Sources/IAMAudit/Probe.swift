import IAMEvaluation
import IAMPolicy

/// A concrete resource to request an action on, standing for a policy's resource pattern.
///
/// Wildcards and unresolved policy variables are replaced by a placeholder, so that the pattern
/// (and every pattern that covers it) matches; variables whose keys the caller lacks get the
/// placeholder as their value through the request context.
struct Probe: Sendable, Hashable {
  /// The request's resource: an ARN, or `*`.
  var resource: String
  /// Context keys the resource relies on, lower-cased keys with their values.
  var variables: [Variable]
  /// What the probe stands for in reports: `*`, the pattern as written, or `NotResource …`.
  var label: String

  struct Variable: Sendable, Hashable {
    var key: String
    var value: String
  }

  /// Whether the probe is the request resource `*`, standing for every resource.
  var isEverything: Bool { resource == "*" }

  /// The text a wildcard `*` becomes in a probe.
  static let placeholder = "iamsim"

  /// The probe for every resource.
  static let everything = Probe(resource: "*", variables: [], label: "*")

  /// The probes that stand for a statement's Resource (one per pattern) or NotResource (the request `*`).
  ///
  /// - Parameter known: looks up a single-valued key the caller's requests already carry, lower-cased.
  ///   - account: the caller's account, which stands for an account part of `*`.
  static func probes(for clause: ResourceClause?, account: String, known: (String) -> String?) -> [Probe] {
    guard let clause else { return [.everything] }
    if clause.isNegated {
      let label = "NotResource " + clause.patterns.map(\.source).joined(separator: ", ")
      return [Probe(resource: "*", variables: [], label: label)]
    }
    var probes: [Probe] = []
    for pattern in clause.patterns {
      let probe: Probe
      switch pattern.matcher {
      case .anything:
        probe = .everything
      case .arn:
        probe = Probe(
          resource: concrete(padded(fillingWildcards(pattern.source)), pattern: pattern.source, account: account),
          variables: [], label: pattern.source)
      case .template(let template):
        var text = ""
        var variables: [Variable] = []
        for piece in template.pieces {
          switch piece {
          case .text(let literal): text += fillingWildcards(literal)
          case .escaped(let character): text += character
          case .variable(let key, _, let defaultValue):
            if let value = known(key) {
              text += value
            } else if let defaultValue {
              text += defaultValue
            } else {
              text += placeholder
              if !variables.contains(where: { $0.key == key }) {
                variables.append(Variable(key: key, value: placeholder))
              }
            }
          }
        }
        probe = Probe(
          resource: concrete(padded(text), pattern: pattern.source, account: account), variables: variables,
          label: pattern.source)
      }
      if !probes.contains(probe) { probes.append(probe) }
    }
    return probes
  }

  /// The text with `*` replaced by the placeholder and `?` by one letter.
  static func fillingWildcards(_ text: String) -> String {
    guard text.contains(where: { $0 == "*" || $0 == "?" }) else { return text }
    var result = ""
    for character in text {
      switch character {
      case "*": result += placeholder
      case "?": result += "x"
      default: result.append(character)
      }
    }
    return result
  }

  /// The probe with a region part of `*` read as `us-east-1` and an account part of `*` as the caller's account,
  /// so that evidence reads as a request in the caller's account.
  static func concrete(_ text: String, pattern: String, account: String) -> String {
    guard text.hasPrefix("arn:") else { return text }
    let source = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    var parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
    guard source.count == 6, parts.count == 6 else { return text }
    if source[3] == "*" { parts[3] = "us-east-1" }
    if source[4] == "*" { parts[4] = account }
    return parts.joined(separator: ":")
  }

  /// An ARN with fewer than six parts (`arn:aws:s3:*`) padded with placeholder parts.
  static func padded(_ text: String) -> String {
    guard text.hasPrefix("arn:") else { return text }
    let colons = text.utf8.lazy.filter { $0 == UInt8(ascii: ":") }.count
    guard colons < 5 else { return text }
    return text + String(repeating: ":" + placeholder, count: 5 - colons)
  }

  /// A resource of the catalog's ARN pattern (`arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}`) that
  /// no policy names on purpose: a policy that allows it allows the action on any resource of that type.
  static func arbitrary(arnPattern: String, account: String) -> Probe {
    var text = ""
    var rest = Substring(arnPattern)
    while let open = rest.range(of: "${") {
      text += rest[..<open.lowerBound]
      guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
      let name = rest[open.upperBound..<close]
      switch name {
      case "Partition": text += "aws"
      case "Region": text += "us-east-1"
      case "Account": text += account
      default: text += "iamsim-any-" + name.lowercased()
      }
      rest = rest[rest.index(after: close)...]
    }
    text += rest
    return Probe(resource: padded(text), variables: [], label: "any " + arnPattern)
  }
}
