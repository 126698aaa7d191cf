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
  /// The `Principal` or `NotPrincipal` element of a resource-policy or RCP statement.
  var principal: PrincipalSpec? = nil
  /// A resource-policy statement without `Resource`: it applies to the resource the policy is attached to.
  var omitsResource = false

  /// A `Principal` (or, negated, `NotPrincipal`) element.
  struct PrincipalSpec: Hashable {
    enum Form: Hashable {
      /// `"Principal": "*"`.
      case star
      /// `"Principal": {"AWS": "*"}`.
      case awsStar
      /// `"Principal": {"AWS": [...]}`: accounts, root ARNs, role, user, session and federated-user ARNs.
      case aws([String])
      /// `"Principal": {"Service": "ec2.amazonaws.com"}`, which never names the callers generated here.
      case service
    }
    var negated = false
    var form: Form

    var json: String {
      let name = negated ? "NotPrincipal" : "Principal"
      switch form {
      case .star: return "\"\(name)\":\"*\""
      case .awsStar: return "\"\(name)\":{\"AWS\":\"*\"}"
      case .aws(let values):
        return "\"\(name)\":{\"AWS\":[" + values.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
      case .service: return "\"\(name)\":{\"Service\":\"ec2.amazonaws.com\"}"
      }
    }
  }

  struct ConditionSpec: Hashable {
    var op: String
    var key: String
    var values: [String]
  }

  static let actionPatterns = [
    "*", "s3:*", "s3:Get*", "s3:?etObject", "ec2:Describe*", "iam:ListRoles", "S3:putobject", "kms:*", "kms:Decrypt",
    "sts:AssumeRole", "sts:AssumeRole*", "sqs:SendMessage", "secretsmanager:*",
  ]
  static let resourcePatterns = [
    "*", "arn:aws:s3:::b/*", "arn:aws:s3:::b", "arn:aws:s3:::c*", "arn:aws:ec2:*:111122223333:vpc/*",
    "arn:aws:s3:::b/${aws:PrincipalTag/team}/*", "arn:aws:kms:*:*:key/*", "arn:aws:iam::*:role/Target",
    "arn:aws:sqs:eu-west-1:*:q1", "arn:aws:secretsmanager:*:444455556666:secret:*", "arn:aws:s3:::b/caf\u{E9}/*",
  ]
  static let conditionSpecs: [ConditionSpec] = [
    .init(op: "StringEquals", key: "aws:PrincipalTag/team", values: ["blue"]),
    .init(op: "StringNotEquals", key: "aws:PrincipalTag/team", values: ["blue", "red"]),
    .init(op: "StringLike", key: "aws:RequestedRegion", values: ["eu-*"]),
    .init(op: "StringEqualsIfExists", key: "aws:RequestedRegion", values: ["us-east-1"]),
    .init(op: "Bool", key: "aws:SecureTransport", values: ["true"]),
    .init(op: "BoolIfExists", key: "aws:SecureTransport", values: ["false"]),
    .init(op: "Null", key: "aws:PrincipalTag/team", values: ["true"]),
    .init(op: "Null", key: "aws:PrincipalTag/region", values: ["false"]),
    .init(op: "StringEqualsIfExists", key: "aws:PrincipalTag/region", values: ["eu-west-1"]),
    .init(op: "StringEquals", key: "aws:RequestedRegion", values: ["${aws:PrincipalTag/region}"]),
    .init(op: "StringEquals", key: "aws:PrincipalAccount", values: ["111122223333"]),
    .init(op: "StringLike", key: "aws:PrincipalArn", values: ["arn:aws:iam::*:role/*", "arn:aws:iam::*:user/*"]),
    // Byte-exact comparison: the request may carry the decomposed spelling `cafe\u{301}` of this precomposed value.
    .init(op: "StringEquals", key: "aws:PrincipalTag/team", values: ["caf\u{E9}", "red"]),
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
    var text = "{\"Effect\":\"\(effect)\""
    if let principal { text += "," + principal.json }
    text += ",\"\(notAction ? "NotAction" : "Action")\":\(list(actions))"
    if !omitsResource { text += ",\"\(notResource ? "NotResource" : "Resource")\":\(list(resources))" }
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

/// Statements read by the real parser, part by part: each distinct `Action`, `Resource`, `Principal` and condition
/// goes through the parser once (in a one-statement policy of the kind at hand in which only that part varies), and
/// a statement is assembled from its parsed parts. Parsing whole statements would miss the cache almost always (the
/// vocabulary has millions of statements), and parsing dominates the cost of a case in debug builds.
final class StatementCache: @unchecked Sendable {
  private struct PartKey: Hashable {
    var kind: PolicyKind
    var json: String
  }
  private var parts: [PartKey: Statement] = [:]

  /// The first statement of `{"Version":"2012-10-17","Statement":[json]}` read as a policy of `kind`.
  private func parse(_ json: String, kind: PolicyKind) -> Statement {
    let key = PartKey(kind: kind, json: json)
    if let cached = parts[key] { return cached }
    let text = "{\"Version\":\"2012-10-17\",\"Statement\":[" + json + "]}"
    do {
      let statement = try PolicyDocument(parsing: Array(text.utf8), name: "random", kind: kind).statements[0]
      parts[key] = statement
      return statement
    } catch {
      preconditionFailure("generated policy is invalid: \(error) \(text)")
    }
  }

  /// The statement read by the real parser as part of a policy of the given kind.
  func statement(_ random: RandomStatement, kind: PolicyKind = .identity) -> Statement {
    func list(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
    // The Principal element is required in resource policies and RCPs, and refused elsewhere: the parts other than
    // the principal are read with `"Principal": "*"` there.
    let head = "{\"Effect\":\"\(random.effect)\"" + (kind.hasPrincipal ? ",\"Principal\":\"*\"" : "")
    let anyAction = ",\"Action\":\"*\""
    let anyResource = ",\"Resource\":\"*\""
    let actionPart = parse(
      head + ",\"\(random.notAction ? "NotAction" : "Action")\":\(list(random.actions))" + anyResource + "}", kind: kind)
    var statement = actionPart
    if let principal = random.principal {
      statement.principal =
        parse("{\"Effect\":\"\(random.effect)\"," + principal.json + anyAction + anyResource + "}", kind: kind).principal
    }
    if random.omitsResource {
      statement.resource = parse(head + anyAction + "}", kind: kind).resource
    } else {
      let resourcePart = parse(
        head + anyAction + ",\"\(random.notResource ? "NotResource" : "Resource")\":\(list(random.resources))}", kind: kind)
      statement.resource = resourcePart.resource
      statement.unusableReason = statement.unusableReason ?? resourcePart.unusableReason
    }
    statement.conditions = random.conditions.flatMap { spec in
      parse(head + anyAction + anyResource + ",\"Condition\":{\"\(spec.op)\":{\"\(spec.key)\":\(list(spec.values))}}}", kind: kind)
        .conditions
    }
    return statement
  }
}

/// Assembles a policy of the given kind from statements read by the real parser.
func document(
  _ statements: [RandomStatement], kind: PolicyKind = .identity, name: String = "random", cache: StatementCache
) -> PolicyDocument {
  let parsed = statements.enumerated().map { index, random in
    var statement = cache.statement(random, kind: kind)
    statement.index = index
    statement.path = JSONPath.root.appending("Statement").appending(index)
    return statement
  }
  return PolicyDocument(name: name, kind: kind, version: .v2012, id: nil, statements: parsed, diagnostics: [])
}

/// The authorizer of a policy set (its initializer may throw in newer versions of the engine).
func makeAuthorizer(_ policies: PolicySet) -> Authorizer {
  do {
    return try Authorizer(policies)
  } catch {
    preconditionFailure("the engine refused a generated policy set: \(error)")
  }
}

/// A random request over the same vocabulary.
func randomRequest(using generator: inout SeededGenerator) -> AuthorizationRequest {
  let actions = ["s3:GetObject", "s3:PutObject", "ec2:DescribeVpcs", "iam:ListRoles", "s3:ListAllMyBuckets"]
  let resources = ["*", "arn:aws:s3:::b/k", "arn:aws:s3:::b", "arn:aws:s3:::c/blue/k", "arn:aws:s3:::b/blue/x",
                   "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-1"]
  var principal = Principal.defaultSession
  if Bool.random(using: &generator) { principal.setTag("team", ["blue", "red", "green"].randomElement(using: &generator)!) }
  if Bool.random(using: &generator) { principal.setTag("region", ["eu-west-1", "us-east-1"].randomElement(using: &generator)!) }
  // AWS sends `aws:RequestedRegion` and `aws:SecureTransport` with every request: always given (absence is
  // exercised with principal tags, which a caller may lack).
  var context = RequestContext()
  context.set("aws:RequestedRegion", ["eu-west-1", "us-east-1", "ap-south-1"].randomElement(using: &generator)!)
  context.set("aws:SecureTransport", Bool.random(using: &generator) ? "true" : "false")
  return AuthorizationRequest(
    principal: principal, action: actions.randomElement(using: &generator)!,
    resource: resources.randomElement(using: &generator)!, context: context)
}
