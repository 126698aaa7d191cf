/// The services whose resources resource control policies (RCPs) apply to, by the service prefix of the action.
///
/// Source: AWS Organizations User Guide, "Resource control policies (RCPs)", section "List of AWS services that
/// support RCPs", https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
/// (read 2026-12-06). An RCP has no effect on any other service: an RCP that denies `*` does not touch
/// `ec2:DescribeInstances` or `iam:ListRoles`. Services that third-party write-ups name as later additions (Amazon
/// ECR, OpenSearch Serverless, Cognito, CloudWatch Logs, DynamoDB) are not listed until AWS's page is read to confirm
/// them: until then an RCP does not apply to them here.
public enum ResourceControlScope {
  /// The date the list was read from AWS's page.
  public static let asOf = "2026-12-06"

  /// Service prefixes, lower-cased.
  public static let servicePrefixes: Set<String> = [
    "s3", "sts", "kms", "sqs", "secretsmanager",
  ]
}
