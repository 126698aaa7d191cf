/// Cross-service condition keys: keys with a service prefix that AWS documents as global, present in the request
/// context of other services' actions too, so the catalog check for unsupported keys never flags them.
///
/// Data, kept by hand. Source: "AWS global condition context keys", IAM User Guide,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html (column "Properties of a
/// role session"), read 2026-12-06: "Cross-service condition keys are a type of global condition key that include a
/// prefix matching the name of the service, such as ec2: or lambda:, but are available across other services."
enum CrossServiceConditionKeys {
  /// Where the list comes from.
  static let source = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
  /// When the source was read.
  static let date = "2026-12-06"
  /// The keys, as AWS spells them.
  static let keys = [
    "ec2:RoleDelivery", "ec2:SourceInstanceArn", "glue:RoleAssumedBy", "glue:CredentialIssuingService",
    "codebuild:BuildArn", "codebuild:ProjectArn", "lambda:SourceFunctionArn", "ssm:SourceInstanceArn",
    "identitystore:UserId",
  ]
  /// The keys lower-cased, as policies' lookup keys are.
  static let lowercased = Set(keys.map { $0.lowercased() })

  /// Whether a lower-cased lookup key is a documented cross-service key.
  static func contains(_ lookupKey: String) -> Bool { lowercased.contains(lookupKey) }
}
