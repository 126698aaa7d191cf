import Foundation
import IAMPolicy
import IAMTestSupport
import Testing

@testable import IAMEvaluation

/// Seeded, replayable properties over every evaluation layer: identity policies, boundaries, session policies,
/// SCPs, RCPs, resource-based policies (same and cross account, every `Principal` form, `NotPrincipal`), KMS key
/// policies and role trust policies, IAM users, role sessions and STS federated users.
///
/// Each property runs ``PropertyTests/count`` cases (IAMSIM_PROPERTY_CASES). A failure is shrunk and printed with
/// its policies and request, and with the rule of the reference that decided; at most one counterexample is
/// reported per rule, so that each disagreement shows once.
@Suite struct LayeredPropertyTests {
  static let seed: UInt64 = 0x1A35_2027
  /// How many distinct disagreements to report before stopping.
  static let maximumReported = 12

  let cache = StatementCache()

  /// Runs `property` over seeded cases; it returns a grouping tag and a message for a counterexample.
  func check(_ name: String, _ property: (LayeredCase, inout SeededGenerator) -> (tag: String, message: String)?) {
    var generator = SeededGenerator(seed: LayeredPropertyTests.seed)
    var reported: [String: Int] = [:]
    for index in 0..<PropertyTests.count {
      let example = LayeredCase.random(using: &generator)
      guard let failure = property(example, &generator) else { continue }
      reported[failure.tag, default: 0] += 1
      if reported[failure.tag] == 1 {
        Issue.record(
          "\(name) failed at case \(index) (seed \(LayeredPropertyTests.seed)) [\(failure.tag)]: \(failure.message)")
      }
      if reported.count >= LayeredPropertyTests.maximumReported { break }
    }
    if !reported.isEmpty {
      Issue.record("\(name): disagreements by rule: \(reported.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" })")
    }
  }

  /// The engine's decision through both entry points; they must agree with each other.
  func engine(_ example: LayeredCase) -> (decision: Decision, viaAuthorize: Decision) {
    let authorizer = makeAuthorizer(example.policySet(cache))
    return (authorizer.decision(for: PreparedRequest(example.request)), authorizer.authorize(example.request).decision)
  }

  @Test func theEvaluatorEqualsTheLayeredReference() {
    var rules: [String: Int] = [:]
    check("layered reference") { example, _ in
      let expected = ReferenceAuthorizer.evaluate(example.policies, example.request)
      rules[expected.rule, default: 0] += 1
      let actual = engine(example)
      guard actual.decision != expected.decision || actual.viaAuthorize != expected.decision else { return nil }
      let small = example.shrunk { candidate in
        let reference = ReferenceAuthorizer.evaluate(candidate.policies, candidate.request)
        let engine = engine(candidate)
        return reference.rule == expected.rule
          && (engine.decision, engine.viaAuthorize) == (actual.decision, actual.viaAuthorize)
      }
      let response = makeAuthorizer(small.policySet(cache)).authorize(small.request)
      return (
        "\(expected.rule) → engine \(actual.decision)",
        """
        reference says \(expected.decision) (rule \(expected.rule)); engine decision(for:) says \(actual.decision), \
        authorize(_:).decision says \(actual.viaAuthorize). Shrunk counterexample:
        \(small.description)
        engine's reason: \(response.reason) (layer \(response.decidingLayer))
        """
      )
    }
    print("layered reference: reference rules exercised: \(rules.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" })")
  }

  @Test func shufflingStatementsAndConditionsNeverChangesADecision() {
    check("shuffle") { example, generator in
      let before = engine(example).decision
      let shuffled = example.shuffled(using: &generator)
      let after = engine(shuffled).decision
      guard after != before else { return nil }
      return (
        "shuffle",
        """
        reordering changed \(before) into \(after).
        before:
        \(example.description)
        after:
        \(shuffled.description)
        """
      )
    }
  }
}

/// The reference against the documented examples it is written from (spec §8 test vectors, AWS pages), so that the
/// reference itself is checked by something other than the engine. The engine is checked on the same examples.
@Suite struct ReferenceExampleTests {
  static let session = Principal.defaultSession
  static let role = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Dev_0123456789abcdef"

  static func allow(_ actions: [String], _ resources: [String] = ["*"], effect: String = "Allow",
                    principal: RandomStatement.PrincipalSpec? = nil,
                    conditions: [RandomStatement.ConditionSpec] = []) -> RandomStatement {
    RandomStatement(effect: effect, actions: actions, notAction: false, resources: resources, notResource: false,
                    conditions: conditions, principal: principal)
  }
  static func aws(_ values: String...) -> RandomStatement.PrincipalSpec { .init(form: .aws(values)) }

  struct Example: Sendable, CustomTestStringConvertible {
    var name: String
    var policies: ReferencePolicies
    var request: AuthorizationRequest
    var expected: Decision
    var testDescription: String { name }
  }

  static let examples: [Example] = {
    let get = AuthorizationRequest(principal: session, action: "s3:GetObject", resource: "arn:aws:s3:::team-bucket/x")
    let boundaryEC2 = [allow(["ec2:*"])]
    func bucket(_ principal: RandomStatement.PrincipalSpec, _ conditions: [RandomStatement.ConditionSpec] = []) -> [RandomStatement] {
      [allow(["s3:GetObject"], ["arn:aws:s3:::team-bucket/*"], principal: principal, conditions: conditions)]
    }
    var partner = AuthorizationRequest(principal: session, action: "s3:GetObject", resource: "arn:aws:s3:::partner/x")
    partner.resourceAccount = "444455556666"
    let partnerGrant = [allow(["s3:GetObject"], ["arn:aws:s3:::partner/*"], principal: aws("111122223333"))]
    let decrypt = AuthorizationRequest(principal: session, action: "kms:Decrypt", resource: "arn:aws:kms:eu-west-1:111122223333:key/k1")
    let assume = AuthorizationRequest(principal: session, action: "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/Target")
    var trustEC2 = allow(["sts:AssumeRole"], principal: .init(form: .service))
    trustEC2.omitsResource = true
    let notPrincipal = [
      allow(["s3:GetObject"], ["arn:aws:s3:::partner/*"], principal: aws("111122223333")),
      allow(["s3:GetObject"], ["arn:aws:s3:::partner/*"], effect: "Deny",
            principal: .init(negated: true, form: .aws(["111122223333", role, session.arn]))),
    ]
    let federated = LayeredCase.parsePrincipal("arn:aws:sts::111122223333:federated-user/fed1")
    let fedGet = AuthorizationRequest(principal: federated, action: "s3:GetObject", resource: "arn:aws:s3:::team-bucket/x")
    let denyRCP = [allow(["s3:DeleteBucket"], effect: "Deny", principal: .init(form: .star))]
    return [
      Example(name: "T-57a session-ARN grant ignores the boundary", policies: .init(boundary: boundaryEC2, resource: bucket(aws(session.arn))), request: get, expected: .allowed),
      Example(name: "T-57b role-ARN grant is limited by the boundary", policies: .init(boundary: boundaryEC2, resource: bucket(aws(role))), request: get, expected: .implicitDeny),
      Example(name: "T-57c * with aws:PrincipalArn", policies: .init(boundary: boundaryEC2, resource: bucket(.init(form: .star), [.init(op: "StringLike", key: "aws:PrincipalArn", values: [role])])), request: get, expected: .allowed),
      Example(name: "T-57d account grant needs identity", policies: .init(boundary: boundaryEC2, resource: bucket(aws("111122223333"))), request: get, expected: .implicitDeny),
      Example(name: "E-5 role-ARN grant without boundary", policies: .init(resource: bucket(aws(role))), request: get, expected: .allowed),
      Example(name: "T-58 both sides allow", policies: .init(identity: [[allow(["s3:GetObject"], ["arn:aws:s3:::partner/*"])]], resource: partnerGrant), request: partner, expected: .allowed),
      Example(name: "T-58 no bucket policy", policies: .init(identity: [[allow(["s3:GetObject"], ["arn:aws:s3:::partner/*"])]]), request: partner, expected: .implicitDeny),
      Example(name: "T-58 identity silent", policies: .init(resource: partnerGrant), request: partner, expected: .implicitDeny),
      Example(name: "E-8a session-ARN grant cross-account still needs identity", policies: .init(resource: [allow(["s3:GetObject"], principal: aws(session.arn))]), request: partner, expected: .implicitDeny),
      Example(name: "T-59 key policy silent", policies: .init(identity: [[allow(["kms:Decrypt"])]], resource: [allow(["kms:*"], principal: aws("arn:aws:iam::111122223333:role/Other"))]), request: decrypt, expected: .implicitDeny),
      Example(name: "T-59 no key policy", policies: .init(identity: [[allow(["kms:Decrypt"])]]), request: decrypt, expected: .implicitDeny),
      Example(name: "T-59 root statement", policies: .init(identity: [[allow(["kms:Decrypt"])]], resource: [allow(["kms:*"], principal: aws("arn:aws:iam::111122223333:root"))]), request: decrypt, expected: .allowed),
      Example(name: "T-59 root statement, identity silent", policies: .init(resource: [allow(["kms:*"], principal: aws("arn:aws:iam::111122223333:root"))]), request: decrypt, expected: .implicitDeny),
      Example(name: "T-60 trust policy trusts only ec2", policies: .init(identity: [[allow(["sts:AssumeRole"])]], resource: [trustEC2]), request: assume, expected: .implicitDeny),
      Example(name: "T-61 NotPrincipal exempts a session listed by account, role and session", policies: .init(identity: [[allow(["*"])]], resource: notPrincipal), request: partner, expected: .allowed),
      Example(name: "T-61 NotPrincipal never exempts a caller with a boundary", policies: .init(identity: [[allow(["*"])]], boundary: [allow(["*"])], resource: notPrincipal), request: partner, expected: .explicitDeny),
      Example(name: "GetFederationToken without a session policy: no permissions", policies: .init(identity: [[allow(["*"])]]), request: fedGet, expected: .implicitDeny),
      Example(name: "GetFederationToken with a session policy: the intersection", policies: .init(identity: [[allow(["*"])]], session: [allow(["s3:*"])]), request: fedGet, expected: .allowed),
      Example(name: "a resource policy naming the federated-user session grants on its own", policies: .init(resource: bucket(aws(federated.arn))), request: fedGet, expected: .allowed),
      Example(name: "an RCP level with only a non-matching Deny does not implicitly deny", policies: .init(identity: [[allow(["*"])]], rcps: [[denyRCP]]), request: get, expected: .allowed),
      Example(name: "an RCP Deny denies", policies: .init(identity: [[allow(["*"])]], rcps: [[[allow(["s3:*"], effect: "Deny", principal: .init(form: .star))]]]), request: get, expected: .explicitDeny),
      Example(name: "RCPs do not apply to ec2", policies: .init(identity: [[allow(["*"])]], rcps: [[[allow(["*"], effect: "Deny", principal: .init(form: .star))]]]), request: AuthorizationRequest(principal: session, action: "ec2:DescribeVpcs", resource: "*"), expected: .allowed),
      Example(name: "RCPs do not apply in the management account", policies: .init(identity: [[allow(["*"])]], rcps: [[[allow(["*"], effect: "Deny", principal: .init(form: .star))]]], resourceAccountIsManagement: true), request: get, expected: .allowed),
    ]
  }()

  @Test(arguments: examples) func theReferenceFollowsTheDocumentedExample(_ example: Example) {
    #expect(ReferenceAuthorizer.evaluate(example.policies, example.request).decision == example.expected)
  }

  @Test(arguments: examples) func theEngineFollowsTheDocumentedExample(_ example: Example) {
    let policies = LayeredCase(policies: example.policies, request: example.request).policySet(StatementCache())
    #expect(makeAuthorizer(policies).authorize(example.request).decision == example.expected)
  }
}
