extension PolicyReader {
  mutating func readPrincipal(
    _ byKey: [String: JSONValue.Member], effect: Statement.Effect?, at path: JSONPath, statementPosition: SourcePosition
  ) -> PrincipalClause? {
    let principal = byKey["Principal"]
    let notPrincipal = byKey["NotPrincipal"]
    guard kind.hasPrincipal else {
      for member in [principal, notPrincipal].compactMap({ $0 }) {
        report(.elementNotSupported, .error, "the policy type \(kind.displayName) does not support the `\(member.key)` element",
               at: path.appending(member.key), member.keyPosition)
      }
      return nil
    }
    if principal != nil && notPrincipal != nil {
      report(.conflictingElements, .error,
             "the policy elements `Principal` and `NotPrincipal` can not be used in the same statement",
             at: path.appending("NotPrincipal"), notPrincipal?.keyPosition)
      return nil
    }
    guard let member = principal ?? notPrincipal else {
      report(.missingPrincipal, .error, "add a `Principal` element to the policy statement", at: path, statementPosition)
      return nil
    }
    if notPrincipal != nil {
      if kind == .resourceControl {
        report(.elementNotSupported, .error, "resource control policies do not support `NotPrincipal`",
               at: path.appending("NotPrincipal"), member.keyPosition)
      } else if effect == .allow {
        report(.elementNotSupported, .error, "`NotPrincipal` is supported only with `\"Effect\": \"Deny\"`",
               at: path.appending("NotPrincipal"), member.keyPosition)
      }
    }
    let elementPath = path.appending(member.key)
    let values = principalValues(member.value, at: elementPath)
    if kind == .resourceControl && values != [.anyone] {
      report(.invalidPrincipal, .warning, "resource control policies are documented only with `\"Principal\": \"*\"`",
             at: elementPath, member.value.position)
    }
    return PrincipalClause(isNegated: notPrincipal != nil, values: values, path: elementPath)
  }

  private mutating func principalValues(_ value: JSONValue, at path: JSONPath) -> [PrincipalValue] {
    if value.stringValue == "*" { return [.anyone] }
    guard let members = value.members else {
      report(.invalidPrincipal, .error, "`Principal` must be `\"*\"` or an object such as `{\"AWS\": …}`", at: path,
             value.position)
      return []
    }
    _ = uniqueMembers(members, at: path)
    if members.isEmpty {
      report(.invalidPrincipal, .error, "the `Principal` element names no principal", at: path, value.position)
    }
    var result: [PrincipalValue] = []
    for member in members {
      let typePath = path.appending(member.key)
      guard let values = stringList(member.value, at: typePath, element: "Principal." + member.key) else { continue }
      for (text, valuePath, position) in values {
        switch member.key {
        case "AWS":
          switch PrincipalValue.aws(text) {
          case .success(let principal): result.append(principal)
          case .failure(let error): report(error.code, .error, error.message, at: valuePath, position)
          }
        case "Service", "Federated", "CanonicalUser":
          if text.contains("*") || text.contains("?") {
            report(.principalWildcard, .error, "wildcards (*, ?) are not supported with the principal key `\(member.key)`",
                   at: valuePath, position)
          } else {
            result.append(
              member.key == "Service" ? .service(text) : member.key == "Federated" ? .federated(text) : .canonicalUser(text))
          }
        default:
          report(.invalidPrincipal, .error,
                 "the principal type `\(member.key)` is not valid; use `AWS`, `Service`, `Federated` or `CanonicalUser`",
                 at: typePath, member.keyPosition)
        }
      }
    }
    return result
  }
}
