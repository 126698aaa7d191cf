import IAMPolicy
import IAMTestSupport

@testable import IAMEvaluation

/// An abstract statement drawn from a small vocabulary, rendered to JSON and read back by the real parser.
struct RandomStatement: Hashable {
  var effect: String
  var actions: [String]
  var notAction: Bool
  var resources: [String]
  var notResource: Bool
  /// (operator, key, values)
  var conditions: [ConditionSpec]

  struct ConditionSpec: Hashable {
    var op: String
    var key: String
    var values: [String]
  }

  static let actionPatterns = ["*", "s3:*", "s3:Get*", "s3:?etObject", "ec2:Describe*", "iam:ListRoles", "S3:putobject"]
  static let resourcePatterns = [
    "*", "arn:aws:s3:::b/*", "arn:aws:s3:::b", "arn:aws:s3:::c*", "arn:aws:ec2:*:111122223333:vpc/*",
    "arn:aws:s3:::b/${aws:PrincipalTag/team}/*",
  ]
  static let conditionSpecs: [ConditionSpec] = [
    .init(op: "StringEquals", key: "aws:PrincipalTag/team", values: ["blue"]),
    .init(op: "StringNotEquals", key: "aws:PrincipalTag/team", values: ["blue", "red"]),
    .init(op: "StringLike", key: "aws:RequestedRegion", values: ["eu-*"]),
    .init(op: "StringEqualsIfExists", key: "aws:RequestedRegion", values: ["us-east-1"]),
    .init(op: "Bool", key: "aws:SecureTransport", values: ["true"]),
    .init(op: "BoolIfExists", key: "aws:SecureTransport", values: ["false"]),
    .init(op: "Null", key: "aws:PrincipalTag/team", values: ["true"]),
    .init(op: "Null", key: "aws:RequestedRegion", values: ["false"]),
    .init(op: "StringEquals", key: "aws:RequestedRegion", values: ["${aws:PrincipalTag/region}"]),
  ]

  static func random(using generator: inout SeededGenerator, allowDeny: Bool = true) -> RandomStatement {
    func pick<T>(_ items: [T], _ range: ClosedRange<Int>) -> [T] {
      (0..<Int.random(in: range, using: &generator)).map { _ in items.randomElement(using: &generator)! }
    }
    return RandomStatement(
      effect: allowDeny && Bool.random(using: &generator) && Int.random(in: 0..<3, using: &generator) == 0 ? "Deny" : "Allow",
      actions: pick(actionPatterns, 1...2), notAction: Int.random(in: 0..<6, using: &generator) == 0,
      resources: pick(resourcePatterns, 1...2), notResource: Int.random(in: 0..<6, using: &generator) == 0,
      conditions: Array(Set(pick(conditionSpecs, 0...2))).sorted { $0.op + $0.key < $1.op + $1.key }
        .reduce(into: []) { result, spec in
          if !result.contains(where: { $0.op == spec.op && $0.key == spec.key }) { result.append(spec) }
        })
  }

  var json: String {
    func list(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
    var text = "{\"Effect\":\"\(effect)\",\"\(notAction ? "NotAction" : "Action")\":\(list(actions))"
    text += ",\"\(notResource ? "NotResource" : "Resource")\":\(list(resources))"
    if !conditions.isEmpty {
      var byOperator: [(String, [ConditionSpec])] = []
      for spec in conditions {
        if let index = byOperator.firstIndex(where: { $0.0 == spec.op }) { byOperator[index].1.append(spec) } else {
          byOperator.append((spec.op, [spec]))
        }
      }
      text += ",\"Condition\":{" + byOperator.map { op, specs in
        "\"\(op)\":{" + specs.map { "\"\($0.key)\":\(list($0.values))" }.joined(separator: ",") + "}"
      }.joined(separator: ",") + "}"
    }
    return text + "}"
  }
}

/// Parsed statements, so that each distinct random statement goes through the real parser once.
final class StatementCache: @unchecked Sendable {
  private var parsed: [RandomStatement: Statement] = [:]

  /// The statement read by the real parser.
  func statement(_ random: RandomStatement) -> Statement {
    if let cached = parsed[random] { return cached }
    let text = "{\"Version\":\"2012-10-17\",\"Statement\":[" + random.json + "]}"
    do {
      let statement = try PolicyDocument(parsing: Array(text.utf8), name: "random", kind: .identity).statements[0]
      parsed[random] = statement
      return statement
    } catch {
      preconditionFailure("generated policy is invalid: \(error) \(text)")
    }
  }
}

/// Assembles a policy of the given kind from statements read by the real parser.
func document(
  _ statements: [RandomStatement], kind: PolicyKind = .identity, name: String = "random", cache: StatementCache
) -> PolicyDocument {
  let parsed = statements.enumerated().map { index, random in
    var statement = cache.statement(random)
    statement.index = index
    statement.path = JSONPath.root.appending("Statement").appending(index)
    return statement
  }
  return PolicyDocument(name: name, kind: kind, version: .v2012, id: nil, statements: parsed, diagnostics: [])
}

/// A random request over the same vocabulary.
func randomRequest(using generator: inout SeededGenerator) -> AuthorizationRequest {
  let actions = ["s3:GetObject", "s3:PutObject", "ec2:DescribeVpcs", "iam:ListRoles", "s3:ListAllMyBuckets"]
  let resources = ["*", "arn:aws:s3:::b/k", "arn:aws:s3:::b", "arn:aws:s3:::c/blue/k", "arn:aws:s3:::b/blue/x",
                   "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-1"]
  var principal = Principal.defaultSession
  if Bool.random(using: &generator) { principal.setTag("team", ["blue", "red", "green"].randomElement(using: &generator)!) }
  if Bool.random(using: &generator) { principal.setTag("region", ["eu-west-1", "us-east-1"].randomElement(using: &generator)!) }
  var context = RequestContext()
  if Bool.random(using: &generator) { context.set("aws:RequestedRegion", ["eu-west-1", "us-east-1", "ap-south-1"].randomElement(using: &generator)!) }
  if Bool.random(using: &generator) { context.set("aws:SecureTransport", Bool.random(using: &generator) ? "true" : "false") }
  return AuthorizationRequest(
    principal: principal, action: actions.randomElement(using: &generator)!,
    resource: resources.randomElement(using: &generator)!, context: context)
}
