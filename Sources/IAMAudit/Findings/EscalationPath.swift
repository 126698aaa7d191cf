import IAMPolicy

/// A privilege-escalation path: the actions a caller needs to raise its own permissions, as a catalogue such as
/// pathfinding.cloud lists them.
///
/// The path holds when, for every group of ``requirements``, the engine allows at least one of the group's actions
/// (all of the groups, any of each group's actions). A path either is reported by a rule of its own (its ``code``),
/// or is already reported by an existing rule (``reportedBy``): then that rule's finding names the path in its
/// details when the path holds, and no second finding is made.
///
/// What the engine cannot see is left to the reader and named in ``caveats``: whether a role that can be passed,
/// or the role of an existing resource, has more permissions than the caller; whether a permission set is assigned
/// to the caller. iamsim reports the path when the requests are allowed, and says what it did not check.
public struct EscalationPath: Sendable, Hashable {
  /// The pathfinding.cloud identifier (`sso-001`), or `nil` for a path iamsim adds that the catalogue lacks.
  public var id: String?
  /// The finding code: the rule's own (`privilege-escalation.sso-create-and-assign-permission-set`), or the code of
  /// the existing rule that reports the path (``reportedBy``).
  public var code: String
  /// The existing rule's code when that rule already reports the path; `nil` when the path has a rule of its own.
  public var reportedBy: String?
  /// The groups of actions: every group needs one of its actions allowed.
  public var requirements: [[String]]
  /// What the caller can do, in one sentence (the finding's message).
  public var message: String
  /// The severity when the actions are allowed on any resource.
  public var severity: Diagnostic.Severity
  /// The severity when they are allowed only on the resources the policies name.
  public var scopedSeverity: Diagnostic.Severity
  /// Actions that help but are not required: the finding says whether each is allowed.
  public var helpful: [String]
  /// What iamsim does not check, in the finding's details.
  public var caveats: [String]

  /// Creates a path.
  public init(
    id: String?, code: String, reportedBy: String? = nil, requirements: [[String]], message: String,
    severity: Diagnostic.Severity = .error, scopedSeverity: Diagnostic.Severity = .warning, helpful: [String] = [],
    caveats: [String] = []
  ) {
    self.id = id
    self.code = code
    self.reportedBy = reportedBy
    self.requirements = requirements
    self.message = message
    self.severity = severity
    self.scopedSeverity = scopedSeverity
    self.helpful = helpful
    self.caveats = caveats
  }

  /// Every action the path names, in order, each once.
  public var actions: [String] {
    var seen: [String] = []
    for group in requirements { for action in group where !seen.contains(action) { seen.append(action) } }
    return seen
  }

  /// `pathfinding.cloud sso-001`, or `iamsim` for a path the catalogue lacks.
  public var source: String { id.map { "pathfinding.cloud \($0)" } ?? "iamsim" }

  /// `iam:AttachRolePolicy + sts:AssumeRole`; a group of several actions reads `(a | b)`.
  public var formula: String {
    requirements.map { $0.count == 1 ? $0[0] : "(" + $0.joined(separator: " | ") + ")" }.joined(separator: " + ")
  }
}

extension EscalationPath {
  /// The existing-role caveat of paths that act through a resource that already runs with a role.
  static let existingRole =
    "needs an existing resource that already runs with a role; iamsim does not know such resources or whether "
    + "their role has more permissions than the caller"
  /// The passed-role caveat.
  static let passedRole =
    "needs a role that trusts the service; iamsim does not know whether a role that can be passed has more "
    + "permissions than the caller (audit --org checks roles the organization describes)"
  /// Identity Center administration runs in the instance's account.
  static let identityCenterAccount =
    "Identity Center administration works only in the organization's management account or its Identity Center "
    + "delegated administrator account"

  /// The paths iamsim checks, pathfinding.cloud's first (by id), then iamsim's own.
  ///
  /// The required actions of each path are those of pathfinding.cloud's YAML file `data/paths/…/<id>.yaml` in the
  /// public repository DataDog/pathfinding.cloud (`permissions.required`); see `Documentation/Escalation.md`.
  public static let catalogue: [EscalationPath] = identityCenter + iam + passRole + existingResource + iamsimOwn

  /// The Identity Center paths (pathfinding.cloud sso-001 to sso-003).
  static let identityCenter: [EscalationPath] = [
    EscalationPath(
      id: "sso-001", code: "privilege-escalation.sso-create-and-assign-permission-set",
      requirements: [
        ["sso:CreatePermissionSet"], ["sso:AttachManagedPolicyToPermissionSet"], ["sso:CreateAccountAssignment"],
      ],
      message:
        "can create a permission set, attach any managed policy (AdministratorAccess) to it and assign it to any "
        + "user or group in any account of the organization",
      caveats: [
        identityCenterAccount,
        "assigning a permission set provisions it to the account, so sso:ProvisionPermissionSet is not needed",
      ]),
    EscalationPath(
      id: "sso-002", code: "privilege-escalation.sso-attach-managed-policy-to-permission-set",
      requirements: [["sso:AttachManagedPolicyToPermissionSet"]],
      message:
        "can attach any managed policy (AdministratorAccess) to a permission set, such as one assigned to the "
        + "caller, and so widen every session of it",
      helpful: ["sso:ProvisionPermissionSet"],
      caveats: [
        identityCenterAccount,
        "the change reaches accounts where the permission set is already assigned when it is provisioned again",
      ]),
    EscalationPath(
      id: "sso-003", code: "privilege-escalation.sso-put-inline-policy-to-permission-set",
      requirements: [["sso:PutInlinePolicyToPermissionSet"]],
      message:
        "can write the inline policy of a permission set, such as one assigned to the caller, and so grant its "
        + "sessions anything",
      helpful: ["sso:ProvisionPermissionSet"],
      caveats: [
        identityCenterAccount,
        "the change reaches accounts where the permission set is already assigned when it is provisioned again",
      ]),
  ]

  /// The IAM paths (pathfinding.cloud iam-001 to iam-021, sts-001): all but iam-013 are reported by existing rules.
  static let iam: [EscalationPath] = [
    mapped("iam-001", to: "privilege-escalation.create-policy-version", [["iam:CreatePolicyVersion"]]),
    mapped("iam-002", to: "credentials-exposure", [["iam:CreateAccessKey"]]),
    mapped("iam-003", to: "credentials-exposure", [["iam:CreateAccessKey"], ["iam:DeleteAccessKey"]]),
    mapped("iam-004", to: "credentials-exposure", [["iam:CreateLoginProfile"]]),
    mapped("iam-005", to: "privilege-escalation.attach-policy", [["iam:PutRolePolicy"]]),
    mapped("iam-006", to: "credentials-exposure", [["iam:UpdateLoginProfile"]]),
    mapped("iam-007", to: "privilege-escalation.attach-policy", [["iam:PutUserPolicy"]]),
    mapped("iam-008", to: "privilege-escalation.attach-policy", [["iam:AttachUserPolicy"]]),
    mapped("iam-009", to: "privilege-escalation.attach-policy", [["iam:AttachRolePolicy"]]),
    mapped("iam-010", to: "privilege-escalation.attach-policy", [["iam:AttachGroupPolicy"]]),
    mapped("iam-011", to: "privilege-escalation.attach-policy", [["iam:PutGroupPolicy"]]),
    mapped(
      "iam-012", to: "privilege-escalation.update-assume-role-policy",
      [["iam:UpdateAssumeRolePolicy"], ["sts:AssumeRole"]]),
    EscalationPath(
      id: "iam-013", code: "privilege-escalation.add-user-to-group", requirements: [["iam:AddUserToGroup"]],
      message: "can add a user, such as the caller, to any group, and so get the group's permissions",
      caveats: ["iamsim does not know whether a group has more permissions than the caller"]),
    mapped("iam-014", to: "privilege-escalation.attach-policy", [["iam:AttachRolePolicy"], ["sts:AssumeRole"]]),
    mapped("iam-015", to: "privilege-escalation.attach-policy", [["iam:AttachUserPolicy"], ["iam:CreateAccessKey"]]),
    mapped(
      "iam-016", to: "privilege-escalation.create-policy-version", [["iam:CreatePolicyVersion"], ["sts:AssumeRole"]]),
    mapped("iam-017", to: "privilege-escalation.attach-policy", [["iam:PutRolePolicy"], ["sts:AssumeRole"]]),
    mapped("iam-018", to: "privilege-escalation.attach-policy", [["iam:PutUserPolicy"], ["iam:CreateAccessKey"]]),
    mapped(
      "iam-019", to: "privilege-escalation.attach-policy", [["iam:AttachRolePolicy"], ["iam:UpdateAssumeRolePolicy"]]),
    mapped(
      "iam-020", to: "privilege-escalation.create-policy-version",
      [["iam:CreatePolicyVersion"], ["iam:UpdateAssumeRolePolicy"]]),
    mapped(
      "iam-021", to: "privilege-escalation.attach-policy", [["iam:PutRolePolicy"], ["iam:UpdateAssumeRolePolicy"]]),
    mapped("sts-001", to: "privilege-escalation.assume-any-role", [["sts:AssumeRole"]]),
  ]

  /// Paths that pass a role to compute the caller creates: reported by `privilege-escalation.pass-role` when one of
  /// their actions is on its list, else by a rule of their own.
  static let passRole: [EscalationPath] = [
    passing("apprunner-001", [["apprunner:CreateService"]]),
    passing("batch-001", [["batch:RegisterJobDefinition"], ["batch:SubmitJob"]]),
    passing(
      "batch-003",
      [
        ["batch:CreateComputeEnvironment"], ["batch:CreateJobQueue"], ["batch:RegisterJobDefinition"],
        ["batch:SubmitJob"],
      ]),
    EscalationPath(
      id: "bedrock-001", code: "privilege-escalation.pass-role-bedrock-code-interpreter",
      requirements: [
        ["iam:PassRole"], ["bedrock-agentcore:CreateCodeInterpreter"],
        ["bedrock-agentcore:StartCodeInterpreterSession"], ["bedrock-agentcore:InvokeCodeInterpreter"],
      ],
      message: "can pass a role to a Bedrock AgentCore code interpreter it creates, and run code with the role",
      caveats: [passedRole]),
    passing("cloudformation-001", [["cloudformation:CreateStack"]]),
    passing("cloudformation-003", [["cloudformation:CreateStackSet"], ["cloudformation:CreateStackInstances"]]),
    EscalationPath(
      id: "cloudformation-004", code: "privilege-escalation.pass-role-cloudformation-update-stack-set",
      requirements: [["iam:PassRole"], ["cloudformation:UpdateStackSet"]],
      message: "can pass a role to a CloudFormation stack set it updates, and create resources with the role",
      caveats: [passedRole]),
    passing("codebuild-001", [["codebuild:CreateProject"], ["codebuild:StartBuild"]]),
    passing("codebuild-004", [["codebuild:CreateProject"], ["codebuild:StartBuildBatch"]]),
    passing(
      "datapipeline-001",
      [["datapipeline:CreatePipeline"], ["datapipeline:PutPipelineDefinition"], ["datapipeline:ActivatePipeline"]]),
    passing("ec2-001", [["ec2:RunInstances"]]),
    passing("ec2-004", [["ec2:RequestSpotInstances"]]),
    passing("ecs-001", [["ecs:CreateCluster"], ["ecs:RegisterTaskDefinition"], ["ecs:CreateService"]]),
    passing("ecs-002", [["ecs:CreateCluster"], ["ecs:RegisterTaskDefinition"], ["ecs:RunTask"]]),
    passing("ecs-003", [["ecs:RegisterTaskDefinition"], ["ecs:CreateService"]]),
    passing("ecs-004", [["ecs:RegisterTaskDefinition"], ["ecs:RunTask"]]),
    passing("ecs-005", [["ecs:RegisterTaskDefinition"], ["ecs:StartTask"]]),
    passing(
      "ecs-007",
      [["ecs:RegisterContainerInstance"], ["ecs:StartTask"], ["ecs:DeregisterContainerInstance"]]),
    passing("ecs-008", [["ecs:RunTask"]]),
    passing("ecs-009", [["ecs:StartTask"]]),
    passing("emr-001", [["elasticmapreduce:RunJobFlow"]]),
    passing("glue-001", [["glue:CreateDevEndpoint"]]),
    passing("glue-003", [["glue:CreateJob"], ["glue:StartJobRun"]]),
    passing("glue-004", [["glue:CreateJob"], ["glue:CreateTrigger"]]),
    passing("glue-005", [["glue:UpdateJob"], ["glue:StartJobRun"]]),
    passing("glue-006", [["glue:UpdateJob"], ["glue:CreateTrigger"]]),
    passing("glue-007", [["glue:CreateSession"], ["glue:RunStatement"]]),
    passing("lambda-001", [["lambda:CreateFunction"], ["lambda:InvokeFunction"]]),
    passing("lambda-002", [["lambda:CreateFunction"], ["lambda:CreateEventSourceMapping"]]),
    passing("lambda-006", [["lambda:CreateFunction"], ["lambda:AddPermission"], ["lambda:InvokeFunction"]]),
    passing("sagemaker-001", [["sagemaker:CreateNotebookInstance"]]),
    passing("sagemaker-002", [["sagemaker:CreateTrainingJob"], ["s3:PutObject"], ["s3:GetObject"]]),
    passing("sagemaker-003", [["sagemaker:CreateProcessingJob"], ["s3:PutObject"], ["s3:GetObject"]]),
    EscalationPath(
      id: "ssm-003", code: "privilege-escalation.pass-role-ssm-automation",
      requirements: [["iam:PassRole"], ["ssm:CreateDocument"], ["ssm:StartAutomationExecution"]],
      message: "can pass a role to a Systems Manager automation document it writes, and run a script with the role",
      caveats: [passedRole]),
  ]

  /// Paths that take over a resource that already runs with a role: a rule of their own each, one severity lower,
  /// since they need such a resource to exist.
  static let existingResource: [EscalationPath] = [
    existing(
      "apprunner-002", "apprunner-update-service", [["apprunner:UpdateService"]],
      "can change the code or command of an App Runner service, and act with the service's role"),
    existing(
      "batch-002", "batch-submit-job", [["batch:SubmitJob"]],
      "can submit a Batch job that overrides the command of a job definition, and act with the definition's role"),
    existing(
      "bedrock-002", "bedrock-code-interpreter-session",
      [["bedrock-agentcore:StartCodeInterpreterSession"], ["bedrock-agentcore:InvokeCodeInterpreter"]],
      "can run code in an existing Bedrock AgentCore code interpreter, and act with its role"),
    existing(
      "cloudformation-002", "cloudformation-update-stack", [["cloudformation:UpdateStack"]],
      "can change the template of a CloudFormation stack, and create resources with the stack's service role"),
    existing(
      "cloudformation-005", "cloudformation-change-set",
      [["cloudformation:CreateChangeSet"], ["cloudformation:ExecuteChangeSet"]],
      "can create and run a change set of a CloudFormation stack, and create resources with the stack's service role"),
    existing(
      "codebuild-002", "codebuild-start-build", [["codebuild:StartBuild"]],
      "can start a CodeBuild build with its own build commands, and act with the project's role"),
    existing(
      "codebuild-003", "codebuild-start-build-batch", [["codebuild:StartBuildBatch"]],
      "can start a CodeBuild batch build with its own build commands, and act with the project's role"),
    existing(
      "codedeploy-001", "codedeploy-create-deployment",
      [
        ["codedeploy:CreateDeployment"], ["codedeploy:RegisterApplicationRevision"],
        ["codedeploy:GetDeploymentConfig"],
      ],
      "can deploy its own revision to instances of a CodeDeploy group, and act with the instances' role"),
    existing(
      "ec2-002", "ec2-modify-user-data",
      [["ec2:ModifyInstanceAttribute"], ["ec2:StopInstances"], ["ec2:StartInstances"]],
      "can rewrite the user data of an instance and restart it, and act with the instance's role"),
    existing(
      "ec2-005", "ec2-modify-launch-template",
      [["ec2:CreateLaunchTemplateVersion"], ["ec2:ModifyLaunchTemplate"]],
      "can make a new default version of a launch template, and act with the role of instances launched from it"),
    existing(
      "ecs-006", "ecs-execute-command", [["ecs:ExecuteCommand"], ["ecs:DescribeTasks"]],
      "can open a shell in a running ECS task, and act with the task's role"),
    existing(
      "glue-002", "glue-update-dev-endpoint", [["glue:UpdateDevEndpoint"]],
      "can add its own SSH key to a Glue development endpoint, and act with the endpoint's role"),
    existing(
      "lambda-003", "lambda-update-function-code", [["lambda:UpdateFunctionCode"]],
      "can replace the code of a Lambda function, and act with the function's role when it runs"),
    existing(
      "lambda-004", "lambda-update-and-invoke", [["lambda:UpdateFunctionCode"], ["lambda:InvokeFunction"]],
      "can replace the code of a Lambda function and invoke it, and act with the function's role"),
    existing(
      "lambda-005", "lambda-update-and-add-permission",
      [["lambda:UpdateFunctionCode"], ["lambda:AddPermission"], ["lambda:InvokeFunction"]],
      "can replace the code of a Lambda function, allow itself to invoke it, and act with the function's role"),
    existing(
      "sagemaker-004", "sagemaker-presigned-notebook-url", [["sagemaker:CreatePresignedNotebookInstanceUrl"]],
      "can open a SageMaker notebook instance, and act with the notebook's role"),
    existing(
      "sagemaker-005", "sagemaker-notebook-lifecycle-config",
      [
        ["sagemaker:CreateNotebookInstanceLifecycleConfig"], ["sagemaker:StopNotebookInstance"],
        ["sagemaker:UpdateNotebookInstance"], ["sagemaker:StartNotebookInstance"],
      ],
      "can give a SageMaker notebook instance its own start-up script, and act with the notebook's role"),
    existing(
      "ssm-001", "ssm-start-session", [["ssm:StartSession"]],
      "can open a shell on an instance managed by Systems Manager, and act with the instance's role"),
    existing(
      "ssm-002", "ssm-send-command", [["ssm:SendCommand"]],
      "can run commands on an instance managed by Systems Manager, and act with the instance's role"),
    mapped("ec2-003", to: "credentials-exposure", [["ec2-instance-connect:SendSSHPublicKey"]]),
  ]

  /// Identity Center paths that pathfinding.cloud does not list (checked in its `data/paths` folder): iamsim's own.
  static let iamsimOwn: [EscalationPath] = [
    EscalationPath(
      id: nil, code: "privilege-escalation.sso-attach-customer-managed-policy-reference",
      requirements: [["sso:AttachCustomerManagedPolicyReferenceToPermissionSet"]],
      message:
        "can make a permission set use a customer managed policy by name, and so give its sessions what a policy of "
        + "that name grants in each account",
      severity: .securityWarning, scopedSeverity: .warning, helpful: ["sso:ProvisionPermissionSet"],
      caveats: [
        identityCenterAccount,
        "it widens sessions only where a policy of that name and path grants more, or where the caller can write one",
      ]),
    EscalationPath(
      id: nil, code: "privilege-escalation.identitystore-group-membership",
      requirements: [["identitystore:CreateGroupMembership"]],
      message:
        "can add a user, such as the caller, to an Identity Center group, and so get the permission sets assigned "
        + "to the group",
      severity: .securityWarning, scopedSeverity: .warning,
      caveats: [
        identityCenterAccount,
        "iamsim does not know whether a group's permission sets have more permissions than the caller's "
          + "(audit --org names the groups)",
      ]),
  ]

  /// A path an existing rule reports.
  static func mapped(_ id: String, to code: String, _ requirements: [[String]]) -> EscalationPath {
    EscalationPath(id: id, code: code, reportedBy: code, requirements: requirements, message: "")
  }

  /// A path that passes a role to compute: `privilege-escalation.pass-role` reports it.
  static func passing(_ id: String, _ requirements: [[String]]) -> EscalationPath {
    mapped(id, to: "privilege-escalation.pass-role", [["iam:PassRole"]] + requirements)
  }

  /// A path through a resource that already runs with a role.
  static func existing(_ id: String, _ slug: String, _ requirements: [[String]], _ message: String) -> EscalationPath {
    EscalationPath(
      id: id, code: "privilege-escalation.\(slug)", requirements: requirements, message: message,
      severity: .securityWarning, scopedSeverity: .warning, caveats: [existingRole])
  }
}
