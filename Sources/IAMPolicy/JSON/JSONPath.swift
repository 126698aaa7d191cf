/// A path to an element of a JSON document, such as `$.Statement[0].Action[1]`.
public struct JSONPath: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// One step of a path: an object member or an array element.
  public enum Component: Hashable, Sendable {
    case key(String)
    case index(Int)
  }

  /// The last step and the path before it: extending a path allocates one node and copies nothing
  /// (a policy reader makes a path for every element it reads, and most are never shown).
  private final class Node: Sendable {
    let parent: Node?
    let component: Component
    let count: Int

    init(parent: Node?, component: Component) {
      self.parent = parent
      self.component = component
      count = (parent?.count ?? 0) + 1
    }
  }

  private let last: Node?

  /// The steps from the document root.
  public var components: [Component] {
    var components: [Component] = []
    components.reserveCapacity(last?.count ?? 0)
    var node = last
    while let current = node {
      components.append(current.component)
      node = current.parent
    }
    return components.reversed()
  }

  /// The path of the document root, `$`.
  public static let root = JSONPath(components: [])

  /// Creates a path from its steps.
  public init(components: [Component]) {
    last = components.reduce(nil) { Node(parent: $0, component: $1) }
  }

  private init(last: Node) {
    self.last = last
  }

  /// Returns this path extended by an object member.
  public func appending(_ key: String) -> JSONPath {
    JSONPath(last: Node(parent: last, component: .key(key)))
  }

  /// Returns this path extended by an array element.
  public func appending(_ index: Int) -> JSONPath {
    JSONPath(last: Node(parent: last, component: .index(index)))
  }

  public static func == (lhs: JSONPath, rhs: JSONPath) -> Bool {
    lhs.last === rhs.last || lhs.components == rhs.components
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(components)
  }

  /// The path in the `$.a.b[0]` notation; keys that are not identifiers are quoted.
  public var description: String {
    var text = "$"
    for component in components {
      switch component {
      case .index(let index):
        text += "[\(index)]"
      case .key(let key):
        if !key.isEmpty, key.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" }) {
          text += ".\(key)"
        } else {
          text += "[" + JSONOutput.string(key).rendered() + "]"
        }
      }
    }
    return text
  }

  public static func < (lhs: JSONPath, rhs: JSONPath) -> Bool {
    for (left, right) in zip(lhs.components, rhs.components) where left != right {
      switch (left, right) {
      case (.index(let a), .index(let b)): return a < b
      case (.key(let a), .key(let b)): return a < b
      case (.index, .key): return true
      case (.key, .index): return false
      }
    }
    return lhs.components.count < rhs.components.count
  }
}
