import IAMEvaluation
import IAMPolicy

/// The requests of the scenarios, built deterministically (no randomness, no clock).
///
/// Every request comes from the default caller, the Identity Center session
/// `arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/alice@example.com`.
enum BenchRequests {
  /// One request per catalog action, on its realistic resource, without context.
  static func catalog(_ actions: [BenchAction]) -> [AuthorizationRequest] {
    actions.map { AuthorizationRequest(action: $0.action, resource: $0.resource) }
  }

  /// The catalog requests with the context an organization's guardrails read: the region (every fifth
  /// request outside the approved regions), TLS (every tenth without it) and the organization ID.
  static func layered(_ actions: [BenchAction]) -> [AuthorizationRequest] {
    actions.enumerated().map { index, action in
      var context = RequestContext()
      context.set("aws:RequestedRegion", index % 5 == 4 ? "ap-southeast-2" : action.region)
      context.set("aws:SecureTransport", index % 10 == 9 ? "false" : "true")
      context.set("aws:PrincipalOrgID", "o-exampleorgid")
      context.set("aws:SourceIp", "203.0.113.10")
      return AuthorizationRequest(action: action.action, resource: action.resource, context: context)
    }
  }

  /// The ABAC requests: the caller carries the session tags Project=apollo, Team=data, CostCenter=1234;
  /// each action of the ABAC policy's services (and a few it does not name) on its own project's and
  /// another project's resources, under eight contexts: all conditions met, then one condition broken each.
  static func abac() -> [AuthorizationRequest] {
    var principal = Principal.defaultSession
    principal.setTag("Project", "apollo")
    principal.setTag("Team", "data")
    principal.setTag("CostCenter", "1234")
    let instance = "arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0"
    let targets: [(String, String)] = [
      ("ec2:StartInstances", instance), ("ec2:StopInstances", instance), ("ec2:TerminateInstances", instance),
      ("ec2:CreateTags", instance), ("ec2:RunInstances", "*"), ("ec2:CreateVolume", "*"),
      ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:apollo/db-AbCdEf"),
      ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:gemini/db-GhIjKl"),
      ("secretsmanager:TagResource", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:gemini/db-GhIjKl"),
      ("s3:GetObject", "arn:aws:s3:::apollo-data/data/2026/report.csv"),
      ("s3:PutObject", "arn:aws:s3:::apollo-data/ops/2026/report.csv"),
      ("s3:DeleteObject", "arn:aws:s3:::gemini-data/data/report.csv"),
      ("dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:111122223333:table/apollo-orders"),
      ("dynamodb:Query", "arn:aws:dynamodb:eu-west-1:111122223333:table/gemini-orders"),
      ("dynamodb:CreateTable", "*"), ("rds:CreateDBInstance", "*"),
      ("sts:GetSessionToken", "*"), ("lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:111122223333:function:apollo-etl"),
    ]
    var base = RequestContext()
    base.set("aws:ResourceTag/Project", "apollo")
    base.set("aws:ResourceTag/Owner", "data-alice")
    base.set("aws:SourceIp", "203.0.113.10")
    base.set("aws:CurrentTime", "2026-06-01T12:00:00Z")
    base.set("aws:SecureTransport", "true")
    base.set("aws:MultiFactorAuthAge", "300")
    base.set("aws:RequestedRegion", "eu-west-1")
    base.set("aws:RequestTag/Project", "apollo")
    base.set("aws:RequestTag/CostCenter", "1234")
    base.set("aws:RequestTag/Team", "data")
    base.set("aws:TagKeys", values: ["Project", "Team"])
    base.set("s3:ResourceAccount", "111122223333")
    base.set("s3:signatureAge", "1000")
    base.set("dynamodb:LeadingKeys", values: ["data#1", "data#7"])
    let variants: [(inout RequestContext) -> Void] = [
      { _ in },
      { $0.set("aws:ResourceTag/Project", "gemini") },
      { $0.set("aws:SourceIp", "192.0.2.50") },
      { $0.set("aws:MultiFactorAuthAge", "90000") },
      { $0.remove("aws:ResourceTag/Project") },
      { $0.set("aws:SecureTransport", "false") },
      { $0.set("aws:CurrentTime", "2027-06-01T00:00:00Z") },
      {
        $0.set("aws:TagKeys", values: ["Project", "Owner"])
        $0.set("dynamodb:LeadingKeys", values: ["ops#1"])
      },
    ]
    var requests: [AuthorizationRequest] = []
    for variant in variants {
      var context = base
      variant(&context)
      for (action, resource) in targets {
        requests.append(AuthorizationRequest(principal: principal, action: action, resource: resource, context: context))
      }
    }
    return requests
  }

  /// `count` requests cycling the catalog actions; every fourth carries a small context.
  static func jsonLines(_ actions: [BenchAction], count: Int) -> [AuthorizationRequest] {
    (0..<count).map { index in
      let action = actions[index % actions.count]
      var context = RequestContext()
      if index % 4 == 3 {
        context.set("aws:SourceIp", "203.0.113.10")
        context.set("aws:RequestedRegion", action.region)
      }
      return AuthorizationRequest(action: action.action, resource: action.resource, context: context)
    }
  }

  /// A request as one line of `iamsim eval --requests` input.
  static func jsonLine(_ request: AuthorizationRequest) -> String {
    var members: [(String, JSONOutput)] = [("action", .string(request.action)), ("resource", .string(request.resource))]
    let entries = request.context.sortedEntries
    if !entries.isEmpty {
      members.append(("context", .object(entries.map { ($0.key, .string($0.values[0])) })))
    }
    return JSONOutput.object(members).rendered()
  }
}
