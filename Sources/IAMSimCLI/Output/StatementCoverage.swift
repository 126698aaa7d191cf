import IAMEvaluation
import IAMPolicy

/// Which statements of the policies under test applied to at least one request.
struct StatementCoverage {
  /// A statement, by policy name and index.
  struct Key: Hashable, Comparable {
    let policy: String
    let index: Int
    static func < (lhs: Key, rhs: Key) -> Bool { (lhs.policy, lhs.index) < (rhs.policy, rhs.index) }
  }

  /// Every statement seen, with a label for the report.
  private(set) var statements: [Key: String] = [:]
  /// The statements that applied to some request.
  private(set) var covered: Set<Key> = []

  /// Adds every statement of a policy set.
  mutating func register(_ policies: PolicySet) {
    let documents =
      policies.identityPolicies + [policies.permissionsBoundary, policies.sessionPolicy, policies.resourcePolicy].compactMap { $0 }
      + policies.serviceControlPolicies.flatMap { $0 } + policies.resourceControlPolicies.flatMap { $0 }
    for document in documents {
      for statement in document.statements {
        statements[Key(policy: document.name, index: statement.index)] =
          "\(document.name) statement \(statement.label) (\(statement.path), line \(statement.position))"
      }
    }
  }

  /// Marks the statements that applied in an explained response.
  mutating func record(_ response: Response) {
    for item in response.explanation?.statements ?? [] where item.mismatch == nil {
      covered.insert(Key(policy: item.statement.policy, index: item.statement.index))
    }
  }

  /// The statements no request made apply, sorted.
  var uncovered: [String] {
    statements.keys.filter { !covered.contains($0) }.sorted().compactMap { statements[$0] }
  }

  /// The share of statements covered, in percent (100 when there are none).
  var percentage: Double {
    statements.isEmpty ? 100 : Double(statements.keys.filter(covered.contains).count) * 100 / Double(statements.count)
  }

  /// The percentage with one decimal.
  var percentageText: String { String(Double(Int(percentage * 10)) / 10) }

  /// The text report: uncovered statements, then the percentage.
  var report: String {
    uncovered.map { "UNCOVERED \($0)\n" }.joined()
      + "statement coverage: \(statements.count - uncovered.count) of \(statements.count) statements (\(percentageText)%)\n"
  }

  /// The JSON report.
  var json: JSONOutput {
    .object([
      ("statements", .int(statements.count)), ("covered", .int(statements.count - uncovered.count)),
      ("percentage", .number(percentageText)), ("uncovered", .array(uncovered.map(JSONOutput.string))),
    ])
  }
}
