import IAMPolicy

/// An action pattern from a policy's `Action` or `NotAction`, such as `s3:Get*`, ready to be
/// matched against the catalog.
///
/// `*` alone matches every action. Otherwise the part before the first `:` is a service
/// prefix, compared exactly after ASCII lower-casing, and the rest is a wildcard pattern over
/// the action name that ignores ASCII case. A pattern without a `:` matches nothing.
struct ActionPattern {
  /// What the pattern matches.
  enum Scope {
    /// Every action of every service.
    case everything
    /// The actions of one service whose names match.
    case service(prefix: String, name: WildcardPattern)
    /// Nothing: the pattern has no service prefix.
    case nothing
  }

  let scope: Scope

  init(_ pattern: String) {
    if pattern == "*" {
      scope = .everything
    } else if let colon = pattern.firstIndex(of: ":") {
      let prefix = CatalogOrder.lowercasedASCII(String(pattern[..<colon]))
      scope = .service(prefix: prefix, name: WildcardPattern(String(pattern[pattern.index(after: colon)...]), ignoringASCIICase: true))
    } else {
      scope = .nothing
    }
  }

  /// Sets `matched[i]` for every action `i` of the catalog that the pattern matches.
  ///
  /// - Complexity: O(log s) and then O(a·m) for the a actions of the service and a name
  ///   pattern of length m, O(a) for `prefix:*`, or O(log a) when the pattern has no wildcard;
  ///   O(n) for `*`.
  func mark(in storage: CatalogStorage, _ matched: inout [Bool]) {
    switch scope {
    case .nothing:
      return
    case .everything:
      for index in matched.indices { matched[index] = true }
    case .service(let prefix, let name):
      guard let service = storage.serviceIndex(prefix: prefix.utf8) else { return }
      if name.source == "*" {
        for action in storage.services[service].actions { matched[action] = true }
        return
      }
      if !name.hasWildcards {
        if let action = storage.actionIndex(service: service, named: name.source.utf8) { matched[action] = true }
        return
      }
      var lowercased: [UInt8] = []
      for action in storage.services[service].actions {
        lowercased.removeAll(keepingCapacity: true)
        for byte in storage.bytes[storage.actions[action].name.range] { lowercased.append(CatalogOrder.lowercasedASCII(byte)) }
        if lowercased.withUnsafeBufferPointer({ name.matches(utf8: $0) }) { matched[action] = true }
      }
    }
  }
}
