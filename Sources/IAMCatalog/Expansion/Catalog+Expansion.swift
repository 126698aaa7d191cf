extension Catalog {
  /// The actions that an `Action` pattern such as `s3:Get*` matches, ordered by service, then name.
  ///
  /// `*` matches every action; otherwise the service prefix before the first `:` must match
  /// exactly (ignoring ASCII case) and the rest is a wildcard pattern (`*`, `?`) over the
  /// action name that ignores ASCII case.
  ///
  /// - Complexity: O(log s + a·m) for a actions in the pattern's service and a pattern of
  ///   length m; O(n) for `*`.
  public func actions(matching pattern: String) -> [CatalogAction] {
    actions(matchingAnyOf: [pattern])
  }

  /// The actions that at least one of the patterns matches, as a policy's `Action` list grants
  /// them, ordered by service, then name.
  ///
  /// - Complexity: O(n + p·a·m) for n actions in the catalog and p patterns.
  public func actions(matchingAnyOf patterns: some Sequence<String>) -> [CatalogAction] {
    selectActions(patterns, selected: true)
  }

  /// The actions that none of the patterns matches, as a policy's `NotAction` list covers
  /// them, ordered by service, then name.
  ///
  /// - Complexity: O(n + p·a·m) for n actions in the catalog and p patterns.
  public func actions(matchingNoneOf patterns: some Sequence<String>) -> [CatalogAction] {
    selectActions(patterns, selected: false)
  }

  /// The actions whose match against the patterns equals `selected`.
  private func selectActions(_ patterns: some Sequence<String>, selected: Bool) -> [CatalogAction] {
    var matched = [Bool](repeating: false, count: storage.actions.count)
    for pattern in patterns {
      ActionPattern(pattern).mark(in: storage, &matched)
    }
    return matched.indices.compactMap { matched[$0] == selected ? CatalogAction(storage: storage, index: $0) : nil }
  }
}
