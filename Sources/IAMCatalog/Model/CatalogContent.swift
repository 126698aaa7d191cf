/// A catalog as plain values: what the builders produce, what the compact form encodes, and
/// what two catalogs are compared by.
struct CatalogContent: Sendable, Equatable {
  var source: String
  var commit: String?
  var packageVersion: String?
  var dataDate: String?
  /// Services in prefix order.
  var services: [ServiceEntry]
}

/// One service prefix and everything the reference lists for it.
struct ServiceEntry: Sendable, Equatable {
  /// The prefix, lower-cased, such as `s3`.
  var prefix: String
  var name: String
  /// Actions ordered by their lower-cased names.
  var actions: [ActionEntry]
  /// Resource types ordered by ``CatalogOrder``.
  var resourceTypes: [ResourceTypeEntry]
  /// Condition keys ordered by ``CatalogOrder``.
  var conditionKeys: [ConditionKeyEntry]
}

/// One action of a service.
struct ActionEntry: Sendable, Equatable {
  var name: String
  var levelText: String
  var resourceTypes: [ActionResourceTypeEntry]
  var conditionKeys: [String]
}

/// A resource type as one action takes it.
struct ActionResourceTypeEntry: Sendable, Equatable {
  var name: String
  var isRequired: Bool?
  var conditionKeys: [String]
}

/// A resource type a service defines.
struct ResourceTypeEntry: Sendable, Equatable {
  var name: String
  var arnPatterns: [String]
  var conditionKeys: [String]
}

/// A condition key a service defines.
struct ConditionKeyEntry: Sendable, Equatable {
  var name: String
  var types: [String]
}
