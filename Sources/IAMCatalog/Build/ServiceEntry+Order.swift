extension ServiceEntry {
  /// The entry with its actions, resource types and condition keys in catalog order.
  func inCatalogOrder() -> ServiceEntry {
    var entry = self
    entry.actions.sort { CatalogOrder.precedes($0.name, $1.name) }
    entry.resourceTypes.sort { CatalogOrder.precedes($0.name, $1.name) }
    entry.conditionKeys.sort { CatalogOrder.precedes($0.name, $1.name) }
    return entry
  }
}
