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
  /// Service prefixes in catalog order.
  let serviceOrder: [String]
  /// The index of each action by lower-cased `service:action`.
  let byLowercasedName: [String: Int]

  init(_ catalog: Catalog) {
    self.catalog = catalog
    actions = catalog.actions
    var names: [String] = []
    var services: [String] = []
    var lowercased: [[UInt8]] = []
    var levels: [AccessLevel] = []
    var ranges: [String: Range<Int>] = [:]
    var order: [String] = []
    var byName: [String: Int] = [:]
    names.reserveCapacity(actions.count)
    for (index, action) in actions.enumerated() {
      let service = action.servicePrefix
      let name = action.name
      names.append(service + ":" + name)
      services.append(service)
      let lower = name.lowercased()
      lowercased.append(Array(lower.utf8))
      levels.append(action.accessLevel)
      byName[service + ":" + lower] = index
      if let range = ranges[service] {
        ranges[service] = range.lowerBound..<(index + 1)
      } else {
        ranges[service] = index..<(index + 1)
        order.append(service)
      }
    }
    self.names = names
    self.services = services
    lowercasedNames = lowercased
    self.levels = levels
    serviceRanges = ranges
    serviceOrder = order
    byLowercasedName = byName
  }

  var count: Int { names.count }

  /// The index of an action named `service:Action`, regardless of case.
  func index(of qualifiedName: String) -> Int? {
    byLowercasedName[qualifiedName.lowercased()]
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
        if lowercasedNames[index].withUnsafeBufferPointer({ pattern.matches(service: services[index], lowercasedName: $0) }) {
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
