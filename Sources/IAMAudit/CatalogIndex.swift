import IAMCatalog
import IAMPolicy

/// The catalog's actions read once into flat arrays, so that matching many statements against
/// every action does not decode catalog records again.
struct CatalogIndex: Sendable {
  let catalog: Catalog
  /// Every action, in catalog order (by service, then name).
  let actions: [CatalogAction]
  /// `service:Action` as the catalog spells it.
  let names: [String]
  /// The lower-cased service prefix of each action.
  let services: [String]
  /// The lower-cased action name of each action, as UTF-8.
  let lowercasedNames: [[UInt8]]
  /// The access level of each action.
  let levels: [AccessLevel]
  /// The actions of each service prefix: a contiguous range, since actions are ordered by service.
  let serviceRanges: [String: Range<Int>]

  init(_ catalog: Catalog) {
    self.catalog = catalog
    actions = catalog.actions
    var names: [String] = []
    var services: [String] = []
    var lowercased: [[UInt8]] = []
    var levels: [AccessLevel] = []
    var ranges: [String: Range<Int>] = [:]
    names.reserveCapacity(actions.count)
    for (index, action) in actions.enumerated() {
      let service = action.servicePrefix
      let name = action.name
      names.append(service + ":" + name)
      services.append(service)
      lowercased.append(CatalogIndex.lowercasedASCII(name))
      levels.append(action.accessLevel)
      if let range = ranges[service] {
        ranges[service] = range.lowerBound..<(index + 1)
      } else {
        ranges[service] = index..<(index + 1)
      }
    }
    self.names = names
    self.services = services
    lowercasedNames = lowercased
    self.levels = levels
    serviceRanges = ranges
  }

  var count: Int { names.count }

  /// The index of an action named `service:Action`, regardless of ASCII case.
  ///
  /// - Complexity: O(log a) for a actions in the service: the catalog orders them by lower-cased name.
  func index(of qualifiedName: String) -> Int? {
    guard let colon = qualifiedName.firstIndex(of: ":"),
      let range = serviceRanges[String(decoding: CatalogIndex.lowercasedASCII(qualifiedName[..<colon]), as: UTF8.self)]
    else { return nil }
    let name = CatalogIndex.lowercasedASCII(qualifiedName[qualifiedName.index(after: colon)...])
    var low = range.lowerBound
    var high = range.upperBound
    while low < high {
      let middle = (low + high) / 2
      if lowercasedNames[middle].lexicographicallyPrecedes(name) { low = middle + 1 } else { high = middle }
    }
    return low < range.upperBound && lowercasedNames[low] == name ? low : nil
  }

  /// The UTF-8 bytes of a text with its ASCII letters lower-cased, as the catalog orders names.
  static func lowercasedASCII(_ text: some StringProtocol) -> [UInt8] {
    text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
  }

  /// Marks the actions an Action or NotAction clause covers.
  ///
  /// - Complexity: O(p·a) for p patterns and a actions in their services; O(n) for `*` and NotAction.
  func covered(by clause: ActionClause) -> [Bool] {
    var matched = [Bool](repeating: false, count: count)
    for pattern in clause.patterns {
      if pattern.matchesEverything {
        for index in matched.indices { matched[index] = true }
        break
      }
      guard let range = serviceRanges[pattern.service] else { continue }
      for index in range where !matched[index] {
        if lowercasedNames[index].withUnsafeBufferPointer({
          pattern.matches(service: services[index], lowercasedName: $0)
        }) {
          matched[index] = true
        }
      }
    }
    if clause.isNegated {
      for index in matched.indices { matched[index].toggle() }
    }
    return matched
  }
}
