import Foundation
import IAMCatalog
import IAMPolicy
import Testing

/// Catalog findings that are right (issue 12, part 4): no finding on the AWS managed policies that the engine's own
/// matching contradicts, and no documented global key reported unknown.
@Suite struct CatalogFindingsTests {
  let catalog: Catalog
  let checks: CatalogPolicyChecks

  init() throws {
    catalog = try Catalog.bundled()
    checks = CatalogPolicyChecks(catalog: catalog)
  }

  // MARK: - catalog.resource-fits-no-type

  /// IAM User Guide, "IAM JSON policy elements: Resource": "You can use wildcard characters (* and ?) within any ARN
  /// segment (the parts separated by colons)." and, on the resource segment, "a wildcard can match … `/` … within
  /// the resource ID"; the engine's ARNPattern: "the resource part is one pattern in which `*` spans `/` and `:`".
  @Test func wildcardsSpanSlashAndColonInTheResourcePart() throws {
    for (action, pattern) in [
      ("codestar-connections:UseConnection", "arn:aws:codestar-connections:*:*:connection/*"),
      ("s3:GetObject", "arn:aws:s3:::cdk-*"),
      ("s3:ListBucket", "arn:aws:s3:::cdk-*"),
      ("logs:PutLogEvents", "arn:aws:logs:*:*:log-group:/aws/lambda/*"),
      ("iam:PassRole", "arn:aws:iam::*:role/service-role/*"),
      ("s3:GetObject", "arn:aws:s3:*"),
    ] {
      #expect(resourceFindings(action: action, resource: pattern).isEmpty, "\(action) on \(pattern)")
    }
  }

  /// The finding still holds where no ARN of the types can match: an object action on a bucket ARN, a bucket
  /// pattern in another service, and an action that supports only `"Resource": "*"`.
  @Test func patternsThatNoTypeFitsAreStillFlagged() {
    #expect(resourceFindings(action: "s3:GetObject", resource: "arn:aws:s3:::bucket").count == 1)
    #expect(resourceFindings(action: "s3:GetObject", resource: "arn:aws:ec2:*:*:instance/*").count == 1)
    #expect(resourceFindings(action: "s3:ListAllMyBuckets", resource: "arn:aws:s3:::bucket").count == 1)
    #expect(resourceFindings(action: "s3:GetObject", resource: "arn:aws:s3").count == 1)
  }

  /// The pin: for every pattern the finding flags on an AWS managed policy, no ARN built from the ARN format of any
  /// resource type of the statement's actions (placeholders filled with sample values and with values cut from the
  /// pattern itself) matches the pattern by the engine's `ResourcePattern` matching.
  @Test func noFlaggedPatternOfAManagedPolicyMatchesAnARNOfItsTypes() throws {
    let policies = try managedPolicies()
    #expect(policies.count == 1_452)
    var flagged = 0
    for (name, json) in policies {
      let document = try PolicyDocument(json: json, name: name, kind: .identity, isAWSManaged: true)
      // Only statements with specific resources can have the finding, and the check is per statement.
      let statements = document.statements.filter { statement in
        statement.resource.map { !$0.isNegated && $0.patterns.contains { $0.source != "*" } } ?? false
      }
      let reduced = PolicyDocument(name: name, kind: .identity, version: document.version, statements: statements)
      let findings = checks.findings(for: reduced).filter { $0.code == .resourceFitsNoType }
      for finding in findings {
        let statement = try #require(statements.first { finding.path.description.hasPrefix($0.path.description + ".") })
        let clause = try #require(statement.resource)
        let pattern = try #require(
          clause.patterns.enumerated().first { index, _ in
            let path = statement.path.appending("Resource")
            return finding.path == (clause.patterns.count == 1 ? path : path.appending(index))
          }?.element)
        flagged += 1
        let patterns = statement.action.patterns.map(\.source)
        let templates = Set(catalog.actions(matchingAnyOf: patterns).flatMap(\.resourceTypes).flatMap(\.arnPatterns))
        for template in templates.sorted() {
          for arn in CatalogFindingsTests.arns(of: template, shapedLike: pattern.source) {
            #expect(!pattern.matches(ResourceName(arn), value: { _ in nil }),
                    "\(name): \(pattern.source) is flagged, but matches \(arn) of \(template)")
          }
        }
      }
    }
    // 915 before the fix, on the 2026-08-21 catalog; what is left fits no type.
    #expect(flagged < 300)
  }

  // MARK: - Global condition keys

  /// IAM User Guide, "AWS global condition context keys": "Global condition keys can be used across all AWS
  /// services." Its table lists, among others, aws:AssumedRoot, aws:ChatbotSourceArn, aws:SignInSessionArn and
  /// aws:IsMcpServiceAction.
  @Test func documentedGlobalKeysAreKnown() throws {
    for key in [
      "aws:AssumedRoot", "aws:ChatbotSourceArn", "aws:SignInSessionArn", "aws:IsMcpServiceAction",
      "aws:Ec2InstanceSourceVpc", "aws:VpceOrgID", "aws:CalledViaAWSMCP", "aws:ViaAWSMCPService",
    ] {
      let document = try policy(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"\#(key)":"false"}}}"#)
      let diagnostics = PolicyDocument.diagnose(json: document, name: "p", kind: .identity)
      #expect(!diagnostics.contains { $0.code == .unknownGlobalKey }, "\(key)")
    }
    let unknown = try policy(#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Null":{"aws:NoSuchKey":"false"}}}"#)
    #expect(PolicyDocument.diagnose(json: unknown, name: "p", kind: .identity).contains { $0.code == .unknownGlobalKey })
  }

  /// Same page: "Cross-service condition keys are a type of global condition key that include a prefix matching the
  /// name of the service, such as ec2: or lambda:, but are available across other services."
  @Test func crossServiceKeysAreSupportedByEveryAction() throws {
    for key in ["ec2:SourceInstanceARN", "glue:RoleAssumedBy", "lambda:SourceFunctionArn"] {
      let findings = try catalogFindings(
        #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"\#(key)":"x"}}}"#)
      #expect(!findings.contains { $0.code == .unsupportedConditionKey }, "\(key)")
    }
  }

  /// Service Authorization Reference: "secretsmanager:ResourceTag/tag-key" and "s3:ExistingObjectTag/<key>" name a
  /// key per tag, as "aws:ResourceTag/${TagKey}" does.
  @Test func catalogKeysWithATagPlaceholderMatchEveryTag() throws {
    for (action, key) in [
      ("secretsmanager:GetSecretValue", "secretsmanager:ResourceTag/owner"),
      ("s3:GetObject", "s3:ExistingObjectTag/team"),
    ] {
      let findings = try catalogFindings(
        #"{"Effect":"Allow","Action":"\#(action)","Resource":"*","Condition":{"StringEquals":{"\#(key)":"x"}}}"#)
      #expect(!findings.contains { $0.code == .unsupportedConditionKey }, "\(key)")
    }
  }

  // MARK: - catalog.passrole-on-every-role

  /// AWS Organizations User Guide: "No permissions are granted by an SCP." and "No permissions are granted by an RCP."
  /// Access Analyzer's check is about granting: "Using wildcards (*) in the resource can be overly permissive because
  /// it allows iam:PassRole permissions on multiple resources." AWS's own RCPFullAWSAccess and FullAWSAccess allow
  /// `*` on `*` and must not be warned about.
  @Test func passRoleOnStarIsNotReportedForSCPsAndRCPs() throws {
    let rcp = try policy(#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#)
    #expect(try checks.findings(for: PolicyDocument(json: rcp, name: "RCPFullAWSAccess", kind: .resourceControl)).isEmpty)
    let scp = try policy(#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)
    #expect(try checks.findings(for: PolicyDocument(json: scp, name: "FullAWSAccess", kind: .serviceControl)).isEmpty)
    let identity = try checks.findings(for: PolicyDocument(json: scp, name: "AdministratorAccess", kind: .identity))
    #expect(identity.map(\.code) == [.passRoleOnEveryRole])
  }

  // MARK: - Helpers

  func policy(_ statement: String) throws -> JSONValue {
    try JSONReader().read(#"{"Version":"2012-10-17","Statement":[\#(statement)]}"#)
  }

  func catalogFindings(_ statement: String) throws -> [Diagnostic] {
    checks.findings(for: try PolicyDocument(json: policy(statement), name: "p", kind: .identity))
  }

  func resourceFindings(action: String, resource: String) -> [Diagnostic] {
    let findings = try? catalogFindings(#"{"Effect":"Allow","Action":"\#(action)","Resource":"\#(resource)"}"#)
    return (findings ?? [.init(.resourceFitsNoType, .error, "unreadable", path: .root)]).filter { $0.code == .resourceFitsNoType }
  }

  /// Every AWS managed policy of the benchmark snapshot, by name.
  func managedPolicies() throws -> [(String, JSONValue)] {
    let url = TestPaths.repository.appendingPathComponent("Benchmarks/aws-managed-policies.json")
    let root = try JSONReader().read(Array(try Data(contentsOf: url)))
    return try #require(root.elements).map { entry in (entry["PolicyName"]?.stringValue ?? "?", entry["Document"]!) }
  }

  /// ARNs of a catalog ARN format: each `${…}` filled with a sample value for its name, and with values cut from the
  /// pattern (its part at the same place, or pieces of its resource part, wildcards read as nothing or as `x`).
  static func arns(of template: String, shapedLike pattern: String) -> [String] {
    var pieces: [(text: String, placeholder: String?)] = []
    var rest = Substring(template)
    while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
      pieces.append((String(rest[..<open.lowerBound]), nil))
      pieces.append(("", String(rest[open.upperBound..<close])))
      rest = rest[rest.index(after: close)...]
    }
    pieces.append((String(rest), nil))
    let patternParts = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
    func filled(_ text: String) -> [String] {
      [text.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "?", with: "x"),
       text.replacingOccurrences(of: "*", with: "x").replacingOccurrences(of: "?", with: "x")]
    }
    var candidates: [[String]] = []
    var prefix = ""
    for piece in pieces {
      guard let name = piece.placeholder else {
        prefix += piece.text
        continue
      }
      let part = prefix.count { $0 == ":" }
      var values: [String] = [sample(name), "x", ""]
      if part < 5 {
        if part < patternParts.count { values += filled(patternParts[part]) }
      } else {
        let resource = patternParts.count == 6 ? patternParts[5] : patternParts.last ?? ""
        for text in filled(resource) {
          // Every run of the text between separators (`/` and `:`), the text itself included.
          let scalars = Array(text)
          let cuts = [0] + scalars.indices.filter { scalars[$0] == "/" || scalars[$0] == ":" }.flatMap { [$0, $0 + 1] } + [scalars.count]
          for start in cuts {
            for end in cuts where end >= start { values.append(String(scalars[start..<end])) }
          }
        }
      }
      var seen = Set<String>()
      candidates.append(values.filter { seen.insert($0).inserted })
      prefix += "x"
    }
    var arns: [String] = [""]
    var slot = 0
    for piece in pieces {
      if let _ = piece.placeholder {
        let values = candidates[slot]
        slot += 1
        arns = arns.flatMap { arn in values.map { arn + $0 } }
        if arns.count > 4_000 { arns = Array(arns.prefix(4_000)) }
      } else {
        arns = arns.map { $0 + piece.text }
      }
    }
    return arns
  }

  static func sample(_ placeholder: String) -> String {
    switch placeholder {
    case "Partition": "aws"
    case "Region": "us-east-1"
    case "Account": "123456789012"
    default: "example"
    }
  }
}
