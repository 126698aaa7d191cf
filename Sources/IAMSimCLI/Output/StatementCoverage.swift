import IAMEvaluation
import IAMPolicy

/// Which statements of the policies under test applied to at least one request.
///
/// AWS managed policies are not under test: a policy taken from the shipped AWS managed library (named by ARN in a
/// case file, or through a permission set) is left out, so that `AdministratorAccess` in one case file does not
/// count against, or for, the policies the files were written to test.
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

  /// The AWS managed policies left out, by name.
  private(set) var notCounted: Set<String> = []

  /// Adds every statement of a policy set but those of the policies named in `awsManaged`.
  mutating func register(_ policies: PolicySet, excluding awsManaged: Set<String> = []) {
    let documents =
      policies.identityPolicies + [policies.permissionsBoundary, policies.sessionPolicy, policies.resourcePolicy].compactMap { $0 }
      + policies.serviceControlPolicies.flatMap { $0 } + policies.resourceControlPolicies.flatMap { $0 }
    for document in documents {
      if awsManaged.contains(document.name) {
        notCounted.insert(document.name)
        continue
      }
      for statement in document.statements {
        statements[Key(policy: document.name, index: statement.index)] =
          "\(document.name) statement \(statement.label) (\(statement.path), line \(statement.position))"
      }
    }
  }

  /// Marks the statements that applied in an explained response.
  mutating func record(_ response: Response) {
    for item in response.explanation?.statements ?? [] where item.mismatch == nil {
      let key = Key(policy: item.statement.policy, index: item.statement.index)
      if statements[key] != nil { covered.insert(key) }
    }
  }

  /// The statements no request made apply, sorted.
  var uncovered: [String] {
    statements.keys.filter { !covered.contains($0) }.sorted().compactMap { statements[$0] }
  }

  /// The share of statements covered, in percent (100 when there are none).
  var percentage: Double {
    statements.isEmpty ? 100 : Double(covered.count) * 100 / Double(statements.count)
  }

  /// The percentage with one decimal.
  var percentageText: String { String(Double(Int(percentage * 10)) / 10) }

  /// The text report: uncovered statements, then the percentage, then the AWS managed policies not counted.
  var report: String {
    uncovered.map { "UNCOVERED \($0)\n" }.joined()
      + "statement coverage: \(covered.count) of \(statements.count) statements (\(percentageText)%)\n"
      + (notCounted.isEmpty
        ? "" : "not counted: \(notCounted.count) AWS managed \(notCounted.count == 1 ? "policy" : "policies") (not under test)\n")
  }

  /// The figures, for JUnit properties: statements, covered, percentage, AWS managed policies not counted.
  var figures: [(String, String)] {
    [("statements", String(statements.count)), ("covered", String(covered.count)), ("percentage", percentageText),
     ("awsManagedPoliciesNotCounted", String(notCounted.count))]
  }

  /// The JSON report; `awsManagedPoliciesNotCounted` lists the AWS managed policies left out, sorted.
  var json: JSONOutput {
    .object([
      ("statements", .int(statements.count)), ("covered", .int(covered.count)),
      ("percentage", .number(percentageText)), ("uncovered", .array(uncovered.map(JSONOutput.string))),
      ("awsManagedPoliciesNotCounted", .array(notCounted.sorted().map(JSONOutput.string))),
    ])
  }
}
