import IAMCatalog
import IAMPolicy

/// A kind of risk, checked by evaluating concrete requests with the engine.
///
/// Actions a rule names are looked up in the catalog; names the catalog lacks are skipped. "On any resource"
/// means the request on `*`, or on a resource of each of the action's catalog resource types named so that no
/// policy names it on purpose (`arn:aws:iam::ACCOUNT:role/iamsim-any-rolenamewithpath`), is allowed.
public struct RiskRule: Sendable, Hashable {
  /// How a rule decides.
  public enum Check: Sendable, Hashable {
    /// One of the actions is allowed on any resource (`severity`), or, when `scopedSeverity` is given, on the
    /// specific resources the policies name (`scopedSeverity`).
    case actions([String], scopedSeverity: Diagnostic.Severity?)
    /// The first action (passing a role) is allowed, and so is one of the second (creating compute that runs
    /// with the role). `severity` when the first is allowed on any resource, `scopedSeverity` otherwise.
    case passRole(String, with: [String], scopedSeverity: Diagnostic.Severity)
    /// Actions of the given access level granted on all resources, counted per service.
    case levelOnAllResources(AccessLevel)
    /// Every catalog action of a service granted, for services that have Write or Permissions management actions.
    case serviceWide
    /// Every group has one of its actions allowed (all of the groups, any of each group's actions): `severity` when
    /// every group has one allowed on any resource, `scopedSeverity` otherwise.
    case allOf([[String]], scopedSeverity: Diagnostic.Severity)
  }

  /// The stable code findings carry.
  public var code: String
  /// The severity when the risk is there without conditions; one step less when only conditional statements grant it.
  public var severity: Diagnostic.Severity
  /// What the risk is.
  public var message: String
  /// How it is checked.
  public var check: Check
  /// The catalogued escalation paths the rule reports (``EscalationPath``): its finding names each one whose
  /// actions the engine allows, with the requests that prove it.
  public var paths: [EscalationPath]

  /// Creates a rule.
  public init(
    code: String, severity: Diagnostic.Severity, message: String, check: Check, paths: [EscalationPath] = []
  ) {
    self.code = code
    self.severity = severity
    self.message = message
    self.check = check
    self.paths = paths
  }

  /// The rule of a path that no existing rule reports: all of its groups of actions must be allowed.
  public init(path: EscalationPath) {
    self.init(
      code: path.code, severity: path.severity, message: path.message,
      check: .allOf(path.requirements, scopedSeverity: path.scopedSeverity), paths: [path])
  }

  /// Compute services that run code with a role passed to them.
  public static let computeCreatingActions = [
    "ec2:RunInstances", "ec2:RequestSpotInstances", "autoscaling:CreateLaunchConfiguration", "lambda:CreateFunction",
    "lambda:UpdateFunctionConfiguration", "ecs:RunTask", "ecs:StartTask", "ecs:CreateService",
    "ecs:RegisterTaskDefinition",
    "batch:SubmitJob", "glue:CreateJob", "glue:UpdateJob", "glue:CreateDevEndpoint", "glue:CreateSession",
    "cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:CreateStackSet",
    "sagemaker:CreateNotebookInstance", "sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob",
    "codebuild:CreateProject", "codebuild:UpdateProject", "datapipeline:CreatePipeline", "elasticmapreduce:RunJobFlow",
    "states:CreateStateMachine", "apprunner:CreateService",
  ]

  /// The rules `iamsim audit` checks: the base rules, each with the catalogued paths it reports, and a rule for
  /// each catalogued path no base rule reports (after the base privilege-escalation rules).
  public static let standard: [RiskRule] = {
    let catalogue = EscalationPath.catalogue
    var rules = base.map { rule in
      var rule = rule
      rule.paths = catalogue.filter { $0.reportedBy == rule.code }
      return rule
    }
    let own = catalogue.filter { $0.reportedBy == nil }.map(RiskRule.init(path:))
    let position = rules.lastIndex { $0.code.hasPrefix("privilege-escalation.") }.map { $0 + 1 } ?? rules.count
    rules.insert(contentsOf: own, at: position)
    return rules
  }()

  /// The finding codes of ``standard``, in order.
  public static var standardCodes: [String] { standard.map(\.code) }

  /// The rules before the catalogued paths are added.
  static let base: [RiskRule] = [
    RiskRule(
      code: "privilege-escalation.pass-role", severity: .error,
      message: "can pass a role to compute it creates, and act with the role's permissions",
      check: .passRole("iam:PassRole", with: computeCreatingActions, scopedSeverity: .warning)),
    RiskRule(
      code: "privilege-escalation.create-policy-version", severity: .error,
      message: "can write a new default version of a managed policy, and so grant itself anything",
      check: .actions(["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"], scopedSeverity: .warning)),
    RiskRule(
      code: "privilege-escalation.attach-policy", severity: .error,
      message: "can attach or write policies of roles, users or groups, and so grant itself anything",
      check: .actions(
        [
          "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:AttachUserPolicy", "iam:PutUserPolicy",
          "iam:AttachGroupPolicy",
          "iam:PutGroupPolicy",
        ], scopedSeverity: .warning)),
    RiskRule(
      code: "privilege-escalation.update-assume-role-policy", severity: .error,
      message: "can rewrite a role's trust policy, and then assume the role",
      check: .actions(["iam:UpdateAssumeRolePolicy"], scopedSeverity: .warning)),
    RiskRule(
      code: "privilege-escalation.assume-any-role", severity: .securityWarning,
      message: "can assume any role whose trust policy trusts the account",
      check: .actions(["sts:AssumeRole"], scopedSeverity: nil)),
    RiskRule(
      code: "data-exfiltration", severity: .securityWarning,
      message: "can read data, secrets or keys of any resource",
      check: .actions(
        [
          "s3:GetObject", "s3:GetObjectVersion", "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue",
          "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory", "kms:Decrypt",
          "dynamodb:Scan", "dynamodb:Query", "dynamodb:GetItem", "dynamodb:BatchGetItem",
          "dynamodb:ExportTableToPointInTime",
          "ec2:GetPasswordData", "rds:DownloadDBLogFilePortion", "lambda:GetFunction", "glacier:GetJobOutput",
        ],
        scopedSeverity: nil)),
    RiskRule(
      code: "resource-exposure", severity: .securityWarning,
      message: "can write resource-based policies or ACLs of any resource, and so share it outside the account",
      check: .actions(
        [
          "s3:PutBucketPolicy", "s3:PutBucketAcl", "s3:PutObjectAcl", "s3:PutAccessPointPolicy",
          "s3:PutBucketPublicAccessBlock",
          "kms:PutKeyPolicy", "kms:CreateGrant", "sqs:SetQueueAttributes", "sqs:AddPermission",
          "sns:SetTopicAttributes",
          "sns:AddPermission", "lambda:AddPermission", "lambda:AddLayerVersionPermission", "ecr:SetRepositoryPolicy",
          "ecr-public:SetRepositoryPolicy", "secretsmanager:PutResourcePolicy", "glacier:SetVaultAccessPolicy",
          "backup:PutBackupVaultAccessPolicy", "elasticfilesystem:PutFileSystemPolicy", "glue:PutResourcePolicy",
          "logs:PutResourcePolicy", "events:PutPermission", "es:UpdateElasticsearchDomainConfig",
          "ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "rds:ModifyDBSnapshotAttribute",
          "rds:ModifyDBClusterSnapshotAttribute", "ram:CreateResourceShare",
        ],
        scopedSeverity: nil)),
    RiskRule(
      code: "credentials-exposure", severity: .securityWarning,
      message: "can create or read credentials for any user, registry, cluster or federated session",
      check: .actions(
        [
          "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
          "iam:CreateServiceSpecificCredential",
          "iam:ResetServiceSpecificCredential", "iam:UploadSSHPublicKey", "sts:GetFederationToken",
          "ecr:GetAuthorizationToken",
          "ecr-public:GetAuthorizationToken", "codeartifact:GetAuthorizationToken", "redshift:GetClusterCredentials",
          "redshift:GetClusterCredentialsWithIAM", "redshift-serverless:GetCredentials",
          "cognito-identity:GetOpenIdTokenForDeveloperIdentity", "lightsail:GetInstanceAccessDetails",
          "ec2-instance-connect:SendSSHPublicKey",
        ],
        scopedSeverity: nil)),
    RiskRule(
      code: "infrastructure-modification", severity: .warning,
      message: "can change infrastructure: Write actions granted on all resources",
      check: .levelOnAllResources(.write)),
    RiskRule(
      code: "service-wide-wildcard", severity: .warning,
      message: "every action of a service is granted, Write and Permissions management included",
      check: .serviceWide),
  ]
}
