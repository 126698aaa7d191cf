import IAMPolicy

/// The names of one kind seen so far, compared ignoring ASCII case, to reject a repeat with an
/// error that names both places.
struct UniqueNames {
  /// What the names are, for messages: `action`, `resource type`, ...
  let kind: String
  private var seen: [String: String] = [:]

  init(kind: String) {
    self.kind = kind
  }

  /// Records `name`, read from `node`, or throws when it was seen before.
  mutating func insert(_ name: String, from node: JSONNode) throws(CatalogBuildError) {
    let key = CatalogOrder.lowercasedASCII(name)
    let place = node.file + " " + node.path.description
    if let first = seen[key] {
      throw node.error("the \(kind) `\(name)` is already defined at \(first)")
    }
    seen[key] = place
  }
}
