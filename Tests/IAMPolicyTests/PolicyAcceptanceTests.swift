import Foundation
import Testing

@testable import IAMPolicy

/// The line between what iamsim refuses (exit 2) and what it reads with a warning: iamsim refuses only what IAM
/// itself refuses. Access Analyzer's findings are not that line: AWS ships managed policies that Access Analyzer
/// reports (an invalid ARN account, a missing set qualifier), so IAM accepted them. See
/// `Documentation/PolicyAcceptance.md`.
@Suite struct PolicyAcceptanceTests {
  static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func read(_ text: String, as kind: PolicyKind = .identity) throws -> PolicyDocument {
    try PolicyDocument(parsing: Array(text.utf8), name: "test", kind: kind)
  }

  static func refusal(_ text: String, as kind: PolicyKind = .identity) -> [Diagnostic.Code] {
    do throws(InputError) {
      _ = try PolicyDocument(parsing: Array(text.utf8), name: "test", kind: kind)
      return []
    } catch {
      return error.diagnostics.filter { $0.severity == .error }.map(\.code)
    }
  }

  static func identity(_ statement: String) -> String {
    #"{"Version":"2012-10-17","Statement":[\#(statement)]}"#
  }

  // MARK: - AWS managed policies

  /// Every AWS managed policy is a policy IAM holds, so iamsim must read each one.
  @Test func everyAWSManagedPolicyOfTheBenchmarkDataIsAcceptedAsAnIdentityPolicy() throws {
    let url = Self.repositoryRoot.appendingPathComponent("Benchmarks/aws-managed-policies.json")
    let records = try #require(try JSONReader().read(Array(Data(contentsOf: url))).elements)
    #expect(records.count == 1_452)
    var refused: [String] = []
    for record in records {
      let name = record["PolicyName"]?.stringValue ?? "?"
      let document = try #require(record["Document"], "\(name)")
      let diagnostics = PolicyDocument.diagnose(json: document, name: name, kind: .identity, isAWSManaged: true)
      if diagnostics.containsErrors { refused.append(name) }
    }
    #expect(refused.isEmpty, "refused: \(refused)")
  }

  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonTimestreamInfluxDBServiceRolePolicy.html
  // (a default version newer than the benchmark snapshot) allows kms:DescribeKey on
  // "arn:*:kms:*:${aws:PrincipalAccount}:key/*". IAM holds the policy, so it accepts a variable in the account field.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html: "Invalid ARN
  // account: The resource ARN account ID is not valid. Provide a 12-digit account ID." is what Access Analyzer says.
  @Test func aVariableInTheAccountFieldIsAcceptedAndResolved() throws {
    let document = try Self.read(Self.identity(
      #"{"Sid":"KmsDescribe","Effect":"Allow","Action":"kms:DescribeKey","Resource":"arn:*:kms:*:${aws:PrincipalAccount}:key/*"}"#))
    #expect(document.diagnostics.map(\.code) == [.variableBeforeResourcePart])
    #expect(document.diagnostics[0].severity == .warning)
    #expect(document.diagnostics[0].message.contains("Invalid ARN account"))
    let statement = document.statements[0]
    #expect(statement.unusableReason == nil)
    let pattern = try #require(statement.resource?.patterns.first)
    #expect(pattern.variableKeys == ["aws:principalaccount"])
    let key = ResourceName("arn:aws:kms:us-east-1:111122223333:key/1234abcd")
    #expect(pattern.matches(key, value: { $0 == "aws:principalaccount" ? "111122223333" : nil }))
    #expect(!pattern.matches(key, value: { $0 == "aws:principalaccount" ? "444455556666" : nil }))
    #expect(!pattern.matches(key, value: { _ in nil }))
  }

  // MARK: - Condition values of the wrong type: accepted, the condition fails closed

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html lists these as
  // "General Warning" findings, not errors: "Type mismatch number: Add a valid numeric value for the condition
  // operator.", "Type mismatch date: The date condition operator is used with an invalid value.", "Type mismatch IP
  // range: The condition operator is used with an invalid IP range value.", "Type mismatch Boolean: Add a valid
  // Boolean value (true or false) for the condition operator.", "Type mismatch string: Add a valid base64-encoded
  // string value for the condition operator."
  @Test(arguments: [
    ("NumericEquals", #""s3:max-keys":"abc""#, "Type mismatch number"),
    ("DateLessThan", #""aws:CurrentTime":"2025-13-45T25:61:00Z""#, "Type mismatch date"),
    ("IpAddress", #""aws:SourceIp":"203.0.113.0/33""#, "Type mismatch IP range"),
    ("NotIpAddressIfExists", #""aws:SourceIp":["<my-corporate-cidr>"]"#, "Type mismatch IP range"),
    ("Bool", #""aws:SecureTransport":"yes""#, "Type mismatch Boolean"),
    ("Null", #""aws:TokenIssueTime":"maybe""#, "Type mismatch Boolean"),
    ("BinaryEquals", #""s3:x":"not base64!""#, "Type mismatch string"),
  ])
  func aValueOfTheWrongTypeIsAWarningAndFailsClosed(operatorName: String, member: String, finding: String) throws {
    let document = try Self.read(Self.identity(
      #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"\#(operatorName)":{\#(member)}}}"#))
    let mismatch = try #require(document.diagnostics.first { $0.code == .typeMismatch })
    #expect(mismatch.severity == .warning)
    #expect(mismatch.message.contains(finding))
    let condition = try #require(document.statements.first?.conditions.first)
    #expect(condition.unusableReason != nil)
    #expect(condition.values.count == 1, "the value is kept, not dropped")
  }

  @Test func readableValuesBesideAnUnreadableOneAreKept() throws {
    let document = try Self.read(Self.identity(
      #"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":["5","ten","20"]}}}"#))
    let condition = try #require(document.statements.first?.conditions.first)
    #expect(condition.values.map(\.text) == ["5", "ten", "20"])
    #expect(condition.values[0].parsed == .number(DecimalNumber("5")!))
    #expect(condition.unusableReason?.contains("`ten`") == true)
  }

  @Test func aWellTypedConditionIsUsable() throws {
    let document = try Self.read(Self.identity(
      #"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":"10"},"Bool":{"aws:SecureTransport":"true"}}}"#))
    #expect(document.diagnostics.isEmpty)
    #expect(document.statements[0].conditions.allSatisfy { $0.unusableReason == nil })
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html: "You can't use a policy
  // variable with other operators, such as Numeric, Date, Boolean, Binary, IP Address, or Null operators." Access
  // Analyzer: "Invalid variable for operator: Policy variables can only be used with String and ARN operators."
  @Test func aVariableInABoolValueIsAWarningAndFailsClosed() throws {
    let document = try Self.read(Self.identity(
      #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"${aws:MultiFactorAuthPresent}"}}}"#))
    #expect(document.diagnostics.map(\.code) == [.variableNotSubstituted])
    #expect(document.diagnostics[0].message.contains("Invalid variable for operator"))
    let condition = try #require(document.statements.first?.conditions.first)
    #expect(condition.values.map(\.text) == ["${aws:MultiFactorAuthPresent}"])
    #expect(condition.unusableReason != nil)
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html: "Invalid
  // condition multiple Boolean: The condition key does not support multiple Boolean values." and "When you provide
  // multiple Boolean values, the condition match might not return the results that you expect."
  @Test func severalBooleanValuesAreAWarningAndFailClosed() throws {
    let document = try Self.read(Self.identity(
      #"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":["true","false"]}}}"#))
    #expect(document.diagnostics.map(\.code) == [.multipleBooleans])
    #expect(document.diagnostics[0].severity == .warning)
    #expect(document.statements[0].conditions[0].unusableReason != nil)
  }

  // MARK: - Resource ARNs with fewer than six fields: accepted, the statement fails closed

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html: "Missing ARN
  // field: Resource ARNs must include at least fields in the following structure:
  // arn:partition:service:region:account:resource". AWS documents no match for such an ARN.
  @Test func aShortARNInResourceMatchesAnythingAndTheStatementFailsClosed() throws {
    let document = try Self.read(Self.identity(
      #"{"Effect":"Deny","Action":"iam:GetRole","Resource":["arn:aws:iam::111122223333","arn:aws:iam::111122223333:role/r"]}"#))
    #expect(document.diagnostics.map(\.code) == [.missingARNField])
    #expect(document.diagnostics[0].message.contains("Missing ARN field"))
    let statement = document.statements[0]
    #expect(statement.unusableReason?.contains("arn:aws:iam::111122223333") == true)
    #expect(statement.resource?.patterns.map(\.source) == ["arn:aws:iam::111122223333", "arn:aws:iam::111122223333:role/r"])
    #expect(statement.resource?.patterns[0].matcher == .anything)
  }

  @Test func aShortARNInNotResourceExcludesNothing() throws {
    let document = try Self.read(Self.identity(
      #"{"Effect":"Deny","Action":"iam:GetRole","NotResource":["arn:aws:iam::111122223333","arn:aws:iam::111122223333:role/r"]}"#))
    let statement = document.statements[0]
    #expect(statement.unusableReason != nil)
    #expect(statement.resource?.patterns.map(\.source) == ["arn:aws:iam::111122223333:role/r"])
  }

  @Test func aShortARNEndingInAWildcardStillMatchesTheRest() throws {
    let document = try Self.read(Self.identity(#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:*"}"#))
    #expect(document.diagnostics.isEmpty)
    #expect(document.statements[0].unusableReason == nil)
  }

  // MARK: - What IAM refuses stays refused

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html: "To create
  // this type of condition, you can use the `ForAllValues` or `ForAnyValue` qualifier with the condition operator."
  // One qualifier: IAM rejects `ForAllValues:ForAnyValue:StringEquals` ("Invalid Condition type"), and Access
  // Analyzer reports "Invalid condition operator: The condition operator is not valid. Use a valid condition
  // operator." (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html)
  @Test(arguments: [
    "ForAllValues:ForAnyValue:StringEquals", "ForAnyValue:ForAllValues:StringLike", "ForAllValues:ForAllValues:StringEquals",
    "ForAnyValue:ForAnyValue:ArnLikeIfExists",
  ])
  func twoSetQualifiersAreRefused(operatorName: String) {
    #expect(ConditionOperator(operatorName) == nil)
    #expect(Self.refusal(Self.identity(
      #"{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"\#(operatorName)":{"aws:TagKeys":"team"}}}"#))
      == [.multipleSetQualifiers])
  }

  @Test func oneSetQualifierIsRead() throws {
    let parsed = try #require(ConditionOperator("ForAllValues:StringEqualsIfExists"))
    #expect(parsed.qualifier == .forAllValues && parsed.base == .stringEquals && parsed.ifExists)
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html: "Invalid policy
  // element: The policy element is not valid." and "Invalid condition operator: The condition operator is not
  // valid."; IAM answers "MalformedPolicyDocument: Invalid Condition type : stringEquals" for a misspelt operator.
  @Test func unknownElementsAndOperatorsAreRefused() {
    #expect(Self.refusal(Self.identity(#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Actions":"s3:*"}"#))
      == [.unknownElement])
    #expect(Self.refusal(Self.identity(
      #"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"stringEquals":{"aws:username":"x"}}}"#))
      == [.unknownOperator])
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html: "The `principal_block`
  // element is required in resource-based policies ... It must *not* be included in identity-based policies."
  @Test func aPrincipalInAnIdentityPolicyIsRefused() {
    #expect(Self.refusal(Self.identity(#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}"#))
      == [.elementNotSupported])
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html: NotPrincipal is
  // supported only with "Effect": "Deny"; "Using it with "Effect": "Allow" is not supported".
  @Test func notPrincipalWithAllowIsRefused() {
    #expect(Self.refusal(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}]}"#,
      as: .resource) == [.elementNotSupported])
  }

  // IAM answers "MalformedPolicyDocument: Resource sns-topic-name must be in ARN format or "*"." for a resource
  // that is not an ARN (https://github.com/trussworks/terraform-aws-s3-anti-virus/issues/21).
  @Test func aResourceThatIsNoARNIsRefused() {
    #expect(Self.refusal(Self.identity(#"{"Effect":"Allow","Action":"sns:Publish","Resource":"sns-topic-name"}"#))
      == [.invalidResource])
    #expect(Self.refusal(Self.identity(#"{"Effect":"Allow","Action":"s3:*","Resource":"${aws:username}"}"#))
      == [.invalidResource])
  }

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html: "Variable
  // unsupported in element: Policy variables are supported in the Resource and Condition elements."
  @Test func aVariableInAnActionIsRefused() {
    #expect(Self.refusal(Self.identity(#"{"Effect":"Allow","Action":"s3:${aws:PrincipalTag/op}","Resource":"*"}"#))
      == [.variableNotAllowed])
  }

  // MARK: - AWS-published SCPs and RCPs

  // aws-samples/service-control-policy-examples, Protect-cloud-platform-resource/Enforce-30-days-for-KMS-deletion.json
  // (https://github.com/aws-samples/service-control-policy-examples).
  @Test func thePublishedKMSDeletionSCPIsAccepted() throws {
    let document = try Self.read(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:ScheduleKeyDeletion","Resource":"*","Condition":{"NumericLessThan":{"kms:ScheduleKeyDeletionPendingWindowInDays":"30"}}}]}"#,
      as: .serviceControl)
    #expect(document.diagnostics.isEmpty)
  }

  // aws-samples/data-perimeter-policy-examples, resource_control_policies/network_perimeter_rcp.json
  // (https://github.com/aws-samples/data-perimeter-policy-examples): the template keeps the placeholder
  // "<my-corporate-cidr>", which IAM-side validation reports as a type mismatch, not an error.
  @Test func thePublishedNetworkPerimeterRCPIsAcceptedWithItsPlaceholder() throws {
    let document = try Self.read(
      #"{"Version":"2012-10-17","Statement":[{"Sid":"EnforceNetworkPerimeter","Effect":"Deny","Principal":"*","Action":["s3:*","sqs:*","kms:*","secretsmanager:*","sts:AssumeRole"],"Resource":"*","Condition":{"NotIpAddressIfExists":{"aws:SourceIp":"<my-corporate-cidr>"},"StringNotEqualsIfExists":{"aws:SourceVpc":"<my-vpc>","aws:PrincipalTag/dp:exclude:network":"true","aws:ResourceTag/dp:exclude:network":"true"},"BoolIfExists":{"aws:PrincipalIsAWSService":"false","aws:ViaAWSService":"false"},"ArnNotLikeIfExists":{"aws:PrincipalArn":["arn:aws:iam::*:role/aws:ec2-infrastructure"]},"StringEquals":{"aws:PrincipalTag/dp:include:network":"true"}}}]}"#,
      as: .resourceControl)
    #expect(document.diagnostics.map(\.code) == [.typeMismatch])
    let unusable = document.statements[0].conditions.filter { $0.unusableReason != nil }.map(\.key)
    #expect(unusable == ["aws:SourceIp"])
  }
}
