import IAMCatalog
import IAMEvaluation
import IAMIdentityCenter
import IAMOrganization
import IAMPolicy

/// Two-step privilege-escalation chains across an organization, each hop proven by requests the engine allows.
///
/// A subject is a permission set in some accounts (`audit --org`). Another principal is *more powerful* than the
/// subject when it is granted, on all resources, a Permissions management action (the catalog's access level) that
/// the subject is not granted on all resources. The chains:
///
/// - `privilege-escalation.chain.permission-set`: the subject, in the organization's management account or its
///   Identity Center delegated administrator account, may write another permission set's policies
///   (`sso:AttachManagedPolicyToPermissionSet` or `sso:PutInlinePolicyToPermissionSet`) and provision it
///   (`sso:ProvisionPermissionSet`), on that permission set and on the Identity Center instance; and that permission
///   set is assigned to users or groups and is more powerful.
/// - `privilege-escalation.chain.pass-role`: the subject may pass (`iam:PassRole`) a role of the same account that
///   the organization describes, may create compute of a service the role's trust policy names, and the role is more
///   powerful.
///
/// What is not known is not claimed: no chain through a permission set when the management account is unknown, and no
/// role chain in an account whose IAM was not collected.
public struct EscalationChains: Sendable {
  /// The finding code of a chain through a permission set.
  public static let permissionSetCode = "privilege-escalation.chain.permission-set"
  /// The finding code of a chain through a role passed to compute.
  public static let passRoleCode = "privilege-escalation.chain.pass-role"

  /// The Identity Center actions that write a permission set's policies.
  public static let permissionSetWriters = [
    "sso:PutInlinePolicyToPermissionSet", "sso:AttachManagedPolicyToPermissionSet",
  ]

  /// The service principals that run each compute action's code with a passed role (by action), checked against a
  /// role's trust policy.
  public static let computeServices: [String: [String]] = [
    "ec2:RunInstances": ["ec2.amazonaws.com"], "ec2:RequestSpotInstances": ["ec2.amazonaws.com"],
    "autoscaling:CreateLaunchConfiguration": ["ec2.amazonaws.com"], "lambda:CreateFunction": ["lambda.amazonaws.com"],
    "lambda:UpdateFunctionConfiguration": ["lambda.amazonaws.com"], "ecs:RunTask": ["ecs-tasks.amazonaws.com"],
    "ecs:StartTask": ["ecs-tasks.amazonaws.com"], "ecs:CreateService": ["ecs-tasks.amazonaws.com"],
    "ecs:RegisterTaskDefinition": ["ecs-tasks.amazonaws.com"], "batch:SubmitJob": ["ecs-tasks.amazonaws.com"],
    "glue:CreateJob": ["glue.amazonaws.com"], "glue:UpdateJob": ["glue.amazonaws.com"],
    "glue:CreateDevEndpoint": ["glue.amazonaws.com"], "glue:CreateSession": ["glue.amazonaws.com"],
    "cloudformation:CreateStack": ["cloudformation.amazonaws.com"],
    "cloudformation:UpdateStack": ["cloudformation.amazonaws.com"],
    "cloudformation:CreateStackSet": ["cloudformation.amazonaws.com"],
    "sagemaker:CreateNotebookInstance": ["sagemaker.amazonaws.com"],
    "sagemaker:CreateTrainingJob": ["sagemaker.amazonaws.com"],
    "sagemaker:CreateProcessingJob": ["sagemaker.amazonaws.com"],
    "codebuild:CreateProject": ["codebuild.amazonaws.com"],
    "codebuild:UpdateProject": ["codebuild.amazonaws.com"],
    "datapipeline:CreatePipeline": ["datapipeline.amazonaws.com", "elasticmapreduce.amazonaws.com"],
    "elasticmapreduce:RunJobFlow": ["ec2.amazonaws.com", "elasticmapreduce.amazonaws.com"],
    "states:CreateStateMachine": ["states.amazonaws.com"],
    "apprunner:CreateService": ["tasks.apprunner.amazonaws.com", "build.apprunner.amazonaws.com"],
  ]

  /// The Permissions management actions a report grants on all resources.
  static func permissionsManagement(_ report: AuditReport) -> Set<String> {
    Set(report.granted.filter { $0.accessLevel == .permissionsManagement && $0.allResources }.map(\.action))
  }

  /// The accounts a subject stands for: ``AuditSubject/accounts``, else its one account.
  static func accounts(of subject: AuditSubject) -> [String] {
    subject.accounts.isEmpty ? subject.account.map { [$0] } ?? [] : subject.accounts
  }

  /// `iam:CreateRole, iam:PutRolePolicy, … (12)`.
  static func sample(_ actions: Set<String>) -> String {
    let sorted = actions.sorted()
    return sorted.prefix(3).joined(separator: ", ") + (sorted.count > 3 ? ", … (\(sorted.count))" : "")
  }
}

extension Auditor {
  /// The reports with the two-step chains of ``EscalationChains`` added to the findings of the subject they start
  /// from.
  ///
  /// - Parameter reports: the audits of an organization's subjects (`audit --org`), with the standard rules.
  /// - Complexity: one audit of each role a subject may pass, and a few requests per pair of subjects.
  public func addingChains(to reports: [AuditReport], in organization: Organization) -> [AuditReport] {
    var reports = reports
    var roleReports: [String: AuditReport?] = [:]
    let administration = Set(
      [organization.managementAccount].compactMap { $0 }
        + organization.delegatedAdministrators.filter { $0.servicePrincipal == "sso.amazonaws.com" }.map(\.account))
    for offset in reports.indices {
      let source = reports[offset]
      let granted = Set(source.granted.map(\.action))
      let accounts = EscalationChains.accounts(of: source.subject)
      // The subject's own run is made only when a chain can start from it.
      let administered = accounts.first(where: administration.contains).flatMap { account in
        granted.contains("sso:ProvisionPermissionSet")
          && EscalationChains.permissionSetWriters.contains(where: granted.contains) ? account : nil
      }
      let passes = granted.contains("iam:PassRole")
      guard source.subject.permissionSet != nil, administered != nil || passes,
        let run = try? AuditRun(subject: source.subject, index: index)
      else { continue }
      let analysis = RiskAnalysis(run: run, report: source)
      let power = EscalationChains.permissionsManagement(source)
      var found: [AuditFinding] = []
      if let account = administered {
        found += permissionSetChains(
          from: source, run: run, analysis: analysis, account: account, power: power, reports: reports,
          organization: organization)
      }
      if passes {
        for account in accounts {
          found += passRoleChains(
            from: source, run: run, analysis: analysis, account: account, power: power, organization: organization,
            cache: &roleReports)
        }
      }
      reports[offset].findings += found
    }
    return reports
  }

  /// The chains from `source` through the other permission sets of the organization.
  private func permissionSetChains(
    from source: AuditReport, run: AuditRun, analysis: RiskAnalysis, account: String, power: Set<String>,
    reports: [AuditReport], organization: Organization
  ) -> [AuditFinding] {
    var findings: [AuditFinding] = []
    var targets: [String] = []
    for report in reports where report.subject.permissionSet != nil && !report.subject.holders.isEmpty {
      let name = report.subject.permissionSet!
      if name.lowercased() != source.subject.permissionSet?.lowercased() && !targets.contains(name) {
        targets.append(name)
      }
    }
    let instance = organization.identityCenter.instanceArn
    let instanceProbe =
      instance.map { Probe(resource: $0, variables: [], label: $0) }
      ?? Probe.arbitrary(arnPattern: "arn:${Partition}:sso:::instance/${InstanceId}", account: account)
    // A delegated administrator cannot manage permission sets provisioned in the management account.
    let delegated = account != organization.managementAccount
    for name in targets {
      let stronger = reports.filter {
        $0.subject.permissionSet == name && !$0.subject.holders.isEmpty
          && !EscalationChains.permissionsManagement($0).subtracting(power).isEmpty
          && !(delegated && EscalationChains.accounts(of: $0.subject).contains { $0 == organization.managementAccount })
      }
      guard !stronger.isEmpty else { continue }
      let arn = organization.permissionSet(named: name)?.arn
      let target =
        arn.map { Probe(resource: $0, variables: [], label: $0) }
        ?? Probe.arbitrary(
          arnPattern: "arn:${Partition}:sso:::permissionSet/${InstanceId}/${PermissionSetId}", account: account)
      // Hop 1: write the target's policies and provision it, on the permission set and on the instance.
      var evidence: [Evidence] = []
      var writer: String?
      for action in EscalationChains.permissionSetWriters
      where run.decide(action: action, probe: target).allowed
        && run.decide(action: action, probe: instanceProbe).allowed
      {
        writer = action
        evidence += [analysis.evidence(action, probe: target), analysis.evidence(action, probe: instanceProbe)]
        break
      }
      let provision = "sso:ProvisionPermissionSet"
      guard let writer, run.decide(action: provision, probe: target).allowed,
        run.decide(action: provision, probe: instanceProbe).allowed
      else { continue }
      evidence += [analysis.evidence(provision, probe: target), analysis.evidence(provision, probe: instanceProbe)]
      let role = delegated ? "the Identity Center delegated administrator" : "the management account"
      var details = [
        "hop 1: in account \(account) (\(role)), \(writer) and \(provision) on permission set \(name) "
          + "(\(target.resource)) and on the instance are allowed"
      ]
      if arn == nil {
        details.append(
          "not checked: the organization gives no ARN for \(name); decided on a permission set no policy names")
      }
      for report in stronger {
        let extra = EscalationChains.permissionsManagement(report).subtracting(power)
        let holders = report.subject.holders.map { "\($0.principalType.rawValue.lowercased()) \($0.name)" }
        details.append(
          "hop 2: \(report.subject.name) is assigned to \(holders.joined(separator: ", ")) in "
            + EscalationChains.accounts(of: report.subject).joined(separator: ", ")
            + " and grants on all resources Permissions management actions \(source.subject.permissionSet!) does not: "
            + EscalationChains.sample(extra))
      }
      var severity: Diagnostic.Severity = .error
      if evidence.contains(where: \.conditional) { severity = severity.lowered }
      findings.append(
        AuditFinding(
          code: EscalationChains.permissionSetCode, severity: severity, subject: source.subject.name,
          message: "can rewrite and provision permission set \(name), which is assigned to others and more powerful, "
            + "and so grant its holders (and itself, by assigning it) anything",
          evidence: evidence, details: details))
    }
    return findings
  }

  /// The chains from `source` through roles of `account` it may pass to compute.
  private func passRoleChains(
    from source: AuditReport, run: AuditRun, analysis: RiskAnalysis, account: String, power: Set<String>,
    organization: Organization, cache: inout [String: AuditReport?]
  ) -> [AuditFinding] {
    guard let iam = organization.account(account)?.iam else { return [] }
    let compute = EscalationChains.computeServices.keys.sorted().filter { action in
      source.granted.contains { $0.action == action }
    }
    guard !compute.isEmpty, let assume = index.index(of: "sts:AssumeRole") else { return [] }
    var findings: [AuditFinding] = []
    for role in iam.roles where !role.isServiceLinked && !role.isIdentityCenterRole {
      // Hop 1: the role trusts a service whose compute the subject may create, and it may pass the role.
      var trusted: Set<String> = []
      for statement in role.trustPolicy.statements where statement.effect == .allow {
        guard let principal = statement.principal, !principal.isNegated, index.covered(by: statement.action)[assume]
        else { continue }
        for case .service(let service) in principal.values { trusted.insert(service) }
      }
      let usable = compute.filter { action in
        (EscalationChains.computeServices[action] ?? []).contains(where: trusted.contains)
      }
      let roleProbe = Probe(resource: role.arn, variables: [], label: role.arn)
      guard !usable.isEmpty, run.decide(action: "iam:PassRole", probe: roleProbe).allowed else { continue }
      guard let (action, allowed) = usable.lazy.compactMap({ a in analysis.allowed(a).map { (a, $0) } }).first
      else { continue }
      // Hop 2: the role is more powerful.
      let key = account + "\u{0}" + role.name
      if cache[key] == nil {
        cache[key] = .some(roleReport(role, account: account, organization: organization))
      }
      guard let roleReport = cache[key] ?? nil else { continue }
      let extra = EscalationChains.permissionsManagement(roleReport).subtracting(power)
      guard !extra.isEmpty else { continue }
      let evidence = [analysis.evidence("iam:PassRole", probe: roleProbe)] + allowed.evidence.prefix(1)
      var severity: Diagnostic.Severity = .error
      if evidence.contains(where: \.conditional) { severity = severity.lowered }
      let services = (EscalationChains.computeServices[action] ?? []).filter(trusted.contains)
      findings.append(
        AuditFinding(
          code: EscalationChains.passRoleCode, severity: severity, subject: source.subject.name,
          message: "can pass the more powerful role \(role.name) of account \(account) to compute it creates, and "
            + "act with the role's permissions",
          evidence: evidence,
          details: [
            "hop 1: iam:PassRole on \(role.arn) and \(action) are allowed; the role's trust policy names "
              + services.joined(separator: ", "),
            "hop 2: \(role.name) grants on all resources Permissions management actions "
              + "\(source.subject.permissionSet ?? source.subject.name) does not: \(EscalationChains.sample(extra))",
            "not checked: conditions of the role's trust policy (decided for the service, not by the engine)",
          ]))
    }
    return findings
  }

  /// The audit of a role's sessions in its account, or `nil` when the organization cannot open one.
  private func roleReport(_ role: IAMRole, account: String, organization: Organization) -> AuditReport? {
    guard let session = try? organization.session(for: .role(account: account, name: role.name)) else { return nil }
    let subject = AuditSubject(
      name: "\(role.name)@\(account)", account: account, principal: session.principal,
      policies: organization.policySet(for: session, resource: "*", resourceAccount: account))
    return try? audit(subject, rules: [])
  }
}
