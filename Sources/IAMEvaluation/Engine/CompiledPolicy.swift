import IAMPolicy

/// A policy with its statements indexed by service prefix, so that a request only looks at
/// the statements that can name its action.
struct CompiledPolicy: Sendable {
  let document: PolicyDocument
  /// Statement indices by lower-cased service prefix of their `Action` patterns.
  let byService: [String: [Int]]
  /// Statements every request must look at: `NotAction`, or an `Action` of `*`.
  let everyService: [Int]

  init(_ document: PolicyDocument) {
    self.document = document
    var byService: [String: [Int]] = [:]
    var everyService: [Int] = []
    for (index, statement) in document.statements.enumerated() {
      let action = statement.action
      if action.isNegated || action.patterns.contains(where: \.matchesEverything) {
        everyService.append(index)
        continue
      }
      for service in Set(action.patterns.map(\.service)) { byService[service, default: []].append(index) }
    }
    self.byService = byService
    self.everyService = everyService
  }

  /// Calls `body` with each statement that may match the service, in no particular order.
  ///
  /// - Complexity: O(k) in the number of candidate statements.
  @inline(__always)
  func forEachCandidate(service: String, _ body: (Statement) -> Void) {
    let statements = document.statements
    for index in everyService { body(statements[index]) }
    if let indices = byService[service] {
      for index in indices { body(statements[index]) }
    }
  }
}
