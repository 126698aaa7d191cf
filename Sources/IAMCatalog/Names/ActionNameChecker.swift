import Foundation

/// Checks the action names of requests against a catalog, working out each distinct name once.
///
/// A known action costs one allocation-free lookup (``Catalog/hasAction(_:)``). An unknown one's closest names take
/// longer to work out, and a stream of requests names the same few misspellings many times, so the checker
/// remembers each unknown name's answer. Safe to share between threads.
public final class ActionNameChecker: @unchecked Sendable {
  /// The catalog names are checked against.
  public let catalog: Catalog
  private let lock = NSLock()
  // Guarded by `lock`: the unknown names met so far.
  private var answers: [String: UnknownActionName] = [:]
  /// The most names remembered; past it, answers are worked out again (a hostile stream cannot grow it forever).
  private let capacity: Int

  /// Creates a checker with an empty memory of at most `capacity` names.
  public init(catalog: Catalog, capacity: Int = 65_536) {
    self.catalog = catalog
    self.capacity = capacity
  }

  /// What ``Catalog/unknownAction(_:)`` says of the name; for an unknown name, worked out on its first check only.
  public func check(_ action: String) -> UnknownActionName? {
    if catalog.hasAction(action) { return nil }
    lock.lock()
    let remembered = answers[action]
    lock.unlock()
    if let remembered { return remembered }
    guard let answer = catalog.unknownAction(action) else { return nil }
    lock.lock()
    if answers.count < capacity { answers[action] = answer }
    lock.unlock()
    return answer
  }
}
