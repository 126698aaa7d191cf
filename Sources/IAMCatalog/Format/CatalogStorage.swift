/// A run of bytes in ``CatalogStorage/bytes`` that holds one string, or one list field: its
/// elements separated by spaces, each still escaped.
///
/// Offsets are 32 bits wide to keep the record tables small; ``CatalogDecoder`` refuses input
/// that does not fit.
struct TextRef: Sendable, Hashable {
  /// No text, or a list without elements.
  static let empty = TextRef(start: 0, count: 0)

  private let storedStart: UInt32
  private let storedCount: UInt32

  init(start: Int, count: Int) {
    storedStart = UInt32(truncatingIfNeeded: start)
    storedCount = UInt32(truncatingIfNeeded: count)
  }

  var start: Int { Int(storedStart) }
  var count: Int { Int(storedCount) }
  var range: Range<Int> { start..<start + count }
}

/// A range of record indices, stored in 32 bits a bound like ``TextRef``.
struct IndexRange: Sendable, Hashable {
  private var lower: UInt32
  private var upper: UInt32

  init(_ range: Range<Int>) {
    lower = UInt32(truncatingIfNeeded: range.lowerBound)
    upper = UInt32(truncatingIfNeeded: range.upperBound)
  }

  var range: Range<Int> { Int(lower)..<Int(upper) }
}

/// A service: its prefix, its name and where its records are.
struct ServiceRecord: Sendable {
  var prefix: TextRef
  var name: TextRef
  /// Indices into ``CatalogStorage/actions``.
  var actions: Range<Int>
  /// Indices into ``CatalogStorage/resourceTypes``.
  var resourceTypes: Range<Int>
  /// Indices into ``CatalogStorage/conditionKeys``.
  var conditionKeys: Range<Int>
}

/// An action of a service.
struct ActionRecord: Sendable {
  private var serviceIndex: UInt32
  var name: TextRef
  var level: AccessLevel
  var levelText: TextRef
  private var resourceTypeIndices: IndexRange
  /// A list field.
  var conditionKeys: TextRef

  init(service: Int, name: TextRef, level: AccessLevel, levelText: TextRef, resourceTypes: Range<Int>, conditionKeys: TextRef) {
    serviceIndex = UInt32(truncatingIfNeeded: service)
    self.name = name
    self.level = level
    self.levelText = levelText
    resourceTypeIndices = IndexRange(resourceTypes)
    self.conditionKeys = conditionKeys
  }

  /// Index into ``CatalogStorage/services``.
  var service: Int { Int(serviceIndex) }

  /// Indices into ``CatalogStorage/actionResourceTypes``.
  var resourceTypes: Range<Int> {
    get { resourceTypeIndices.range }
    set { resourceTypeIndices = IndexRange(newValue) }
  }
}

/// A resource type as one action takes it.
struct ActionResourceTypeRecord: Sendable {
  private var serviceIndex: UInt32
  var name: TextRef
  var isRequired: Bool?
  /// A list field.
  var conditionKeys: TextRef

  init(service: Int, name: TextRef, isRequired: Bool?, conditionKeys: TextRef) {
    serviceIndex = UInt32(truncatingIfNeeded: service)
    self.name = name
    self.isRequired = isRequired
    self.conditionKeys = conditionKeys
  }

  /// Index into ``CatalogStorage/services``.
  var service: Int { Int(serviceIndex) }
}

/// A resource type a service defines.
struct ResourceTypeRecord: Sendable {
  /// Index into ``CatalogStorage/services``.
  var service: Int
  var name: TextRef
  /// A list field.
  var arnPatterns: TextRef
  /// A list field.
  var conditionKeys: TextRef
}

/// A condition key a service defines.
struct ConditionKeyRecord: Sendable {
  /// Index into ``CatalogStorage/services``.
  var service: Int
  var name: TextRef
  /// A list field.
  var types: TextRef
}

/// The loaded catalog: flat tables of records whose strings stay as bytes until asked for,
/// so that loading allocates a handful of arrays rather than one object per string, and
/// list fields are split only when read.
final class CatalogStorage: Sendable {
  let source: String
  let commit: String?
  let packageVersion: String?
  let dataDate: String?
  /// The compact form as read, followed by the unescaped text of any escaped fields.
  let bytes: [UInt8]
  /// Services in prefix order.
  let services: [ServiceRecord]
  /// Actions in service order, then in lower-cased name order.
  let actions: [ActionRecord]
  let actionResourceTypes: [ActionResourceTypeRecord]
  let resourceTypes: [ResourceTypeRecord]
  let conditionKeys: [ConditionKeyRecord]

  init(
    source: String, commit: String?, packageVersion: String?, dataDate: String?, bytes: [UInt8],
    services: [ServiceRecord], actions: [ActionRecord], actionResourceTypes: [ActionResourceTypeRecord],
    resourceTypes: [ResourceTypeRecord], conditionKeys: [ConditionKeyRecord]
  ) {
    self.source = source
    self.commit = commit
    self.packageVersion = packageVersion
    self.dataDate = dataDate
    self.bytes = bytes
    self.services = services
    self.actions = actions
    self.actionResourceTypes = actionResourceTypes
    self.resourceTypes = resourceTypes
    self.conditionKeys = conditionKeys
  }

  /// The string a reference points at.
  func string(_ text: TextRef) -> String {
    String(decoding: bytes[text.range], as: UTF8.self)
  }

  /// The elements of a list field, unescaped; runs of spaces separate elements like one.
  func strings(_ list: TextRef) -> [String] {
    guard list.count > 0 else { return [] }
    return bytes[list.range].split(separator: CatalogFormat.space).map { element in
      guard element.contains(CatalogFormat.backslash) else { return String(decoding: element, as: UTF8.self) }
      return String(decoding: CatalogFormat.unescape(element), as: UTF8.self)
    }
  }

  /// The index of the service with this lower-cased prefix.
  ///
  /// - Complexity: O(log s) comparisons for s services.
  func serviceIndex(prefix: some Collection<UInt8>) -> Int? {
    var low = 0
    var high = services.count
    while low < high {
      let middle = (low + high) / 2
      let candidate = bytes[services[middle].prefix.range]
      if candidate.elementsEqual(prefix) { return middle }
      if candidate.lexicographicallyPrecedes(prefix) { low = middle + 1 } else { high = middle }
    }
    return nil
  }

  /// The index of the action of a service whose name is `name` when ASCII case is ignored.
  ///
  /// - Complexity: O(log a) comparisons for a actions in the service.
  func actionIndex(service: Int, named name: some Collection<UInt8>) -> Int? {
    var low = services[service].actions.lowerBound
    var high = services[service].actions.upperBound
    while low < high {
      let middle = (low + high) / 2
      let order = CatalogOrder.compareFolded(bytes[actions[middle].name.range], name)
      if order == 0 { return middle }
      if order < 0 { low = middle + 1 } else { high = middle }
    }
    return nil
  }

  /// The first index in `indices` whose name equals `name` when ASCII case is ignored.
  func firstIndex(in indices: Range<Int>, named name: String, nameOf: (Int) -> TextRef) -> Int? {
    let wanted = Array(name.utf8)
    return indices.first { CatalogOrder.compareFolded(bytes[nameOf($0).range], wanted) == 0 }
  }

  /// The catalog as plain values.
  func content() -> CatalogContent {
    CatalogContent(
      source: source, commit: commit, packageVersion: packageVersion, dataDate: dataDate,
      services: services.indices.map { CatalogService(storage: self, index: $0).entry })
  }
}
