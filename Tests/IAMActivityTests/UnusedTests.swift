import Foundation
import IAMCatalog
import IAMEvaluation
import IAMPolicy
import IAMSimCLI
import IAMTestSupport
import Testing

@testable import IAMActivity

let catalog: Catalog = {
  do { return try Catalog.bundled() } catch { fatalError("the shipped catalog loads: \(error)") }
}()

/// The real records under Fixtures/real (see its README), every file.
let realTrailFiles = [
  "stratus-lambda-overwrite-code.json", "stratus-lambda-backdoor-function.json", "stratus-lambda-layer-extension.json",
  "stratus-console-login-without-mfa.json", "stratus-sts-federation-token.json",
  "stratus-secretsmanager-batch-retrieve-secrets.json", "stratus-ec2-get-password-data.json",
  "stratus-s3-data-event-samples.json",
]

/// What each real event needs, written from AWS's documentation (the API references and the S3 permission table), not
/// from iamsim's table: `nil` for events that need no permission of the caller's policies.
let documentedActions: [String: Set<String>?] = [
  "UpdateFunctionCode20150331v2": ["lambda:UpdateFunctionCode"],
  "AddPermission20150331v2": ["lambda:AddPermission"],
  "UpdateFunctionConfiguration20150331v2": ["lambda:UpdateFunctionConfiguration"],
  "ConsoleLogin": nil,
  "GetFederationToken": ["sts:GetFederationToken"],
  "GetCallerIdentity": nil,
  "BatchGetSecretValue": ["secretsmanager:BatchGetSecretValue", "secretsmanager:GetSecretValue", "secretsmanager:ListSecrets"],
  "GetPasswordData": ["ec2:GetPasswordData"],
  "DeleteObject": ["s3:DeleteObject"],
  "CopyObject": ["s3:PutObject", "s3:GetObject"],
]

func realEvents(_ file: String) throws -> [CloudTrailEvent] {
  try CloudTrailReader.read(fixture("real/" + file), name: file)
}

@Suite struct EventMappingTests {
  let resolver = EventActionResolver(catalog: catalog)

  @Test func everyActionAndServiceTheTableNamesIsInTheCatalog() {
    for entry in EventActionTable.entries {
      var named = entry.mayAlsoNeed + (entry.whenParameter?.actions ?? [])
      if case .actions(let actions) = entry.outcome { named += actions }
      for action in named {
        #expect(catalog.action(named: action)?.qualifiedName == action, "\(entry.eventSource) \(entry.eventName): \(action)")
      }
      #expect(!entry.reference.citation.isEmpty)
    }
    for exception in EventActionTable.servicePrefixes {
      #expect(catalog.service(prefix: exception.prefix) != nil, "\(exception.eventSource)")
      #expect(resolver.servicePrefix(of: exception.eventSource) == exception.prefix)
    }
  }

  @Test func apiVersionSuffixesAreRemovedOnlyWhenTheCatalogConfirmsTheAction() {
    #expect(EventActionResolver.withoutAPIVersion("UpdateFunctionCode20150331v2") == "UpdateFunctionCode")
    #expect(EventActionResolver.withoutAPIVersion("ListFunctions20150331") == "ListFunctions")
    #expect(EventActionResolver.withoutAPIVersion("PublishLayerVersion20181031") == "PublishLayerVersion")
    // The CloudFront Developer Guide's CloudTrail example names the call UpdateDistribution2014_01_31.
    #expect(EventActionResolver.withoutAPIVersion("UpdateDistribution2014_01_31") == "UpdateDistribution")
    #expect(EventActionResolver.withoutAPIVersion("GetObject") == nil)
    #expect(EventActionResolver.withoutAPIVersion("ListObjectsV2") == nil)
    #expect(EventActionResolver.withoutAPIVersion("20150331") == nil)
    #expect(resolver.resolveName(eventSource: "lambda.amazonaws.com", eventName: "ListFunctions20150331")
      == .actions(required: ["lambda:ListFunctions"], possible: [], rule: "event name without its API version"))
    guard case .actions(let cloudFront, _, _) = resolver.resolveName(
      eventSource: "cloudfront.amazonaws.com", eventName: "UpdateDistribution2014_01_31")
    else {
      Issue.record("UpdateDistribution2014_01_31 resolves")
      return
    }
    #expect(cloudFront == ["cloudfront:UpdateDistribution"])
    // A suffix does not make a non-action an action.
    guard case .undetermined = resolver.resolveName(eventSource: "lambda.amazonaws.com", eventName: "Frobnicate20150331v2")
    else {
      Issue.record("an unknown versioned name stays undetermined")
      return
    }
  }

  @Test(arguments: realTrailFiles)
  func realRecordsNeedTheActionsAWSDocuments(file: String) throws {
    let events = try realEvents(file)
    #expect(!events.isEmpty)
    for event in events {
      let expected = try #require(documentedActions[event.eventName], "no expectation for \(event.eventName)")
      switch resolver.resolve(event) {
      case .actions(let required, _, _):
        #expect(Set(required) == expected, "\(event.label)")
        for action in required { #expect(catalog.action(named: action) != nil) }
      case .noPermission:
        #expect(expected == nil, "\(event.label) needs \(String(describing: expected))")
      case .undetermined(let reason):
        Issue.record("\(event.label) undetermined: \(reason)")
      }
    }
  }

  @Test func layersAndCopiesAddWhatTheyMayAlsoNeed() throws {
    let layer = try #require(try realEvents("stratus-lambda-layer-extension.json").first)
    guard case .actions(_, let possible, _) = resolver.resolve(layer) else {
      Issue.record("resolves")
      return
    }
    #expect(possible.map(\.action) == ["lambda:GetLayerVersion"])
    let copy = try #require(try realEvents("stratus-s3-data-event-samples.json").last)
    guard case .actions(_, let copyPossible, _) = resolver.resolve(copy) else {
      Issue.record("resolves")
      return
    }
    #expect(copyPossible.map(\.action) == ["s3:GetObjectVersion"])
  }

  @Test func aRolePassedToAServiceIsAPossibleUseOfPassRole() {
    let event = CloudTrailEvent(
      eventSource: "lambda.amazonaws.com", eventName: "CreateFunction20150331",
      parameterARNs: ["arn:aws:iam::111122223333:role/service-role/fn-role"], parameterNames: ["role", "functionName"],
      readOnly: false)
    guard case .actions(let required, let possible, _) = resolver.resolve(event) else {
      Issue.record("resolves")
      return
    }
    #expect(required == ["lambda:CreateFunction"])
    #expect(possible == [PossibleAction(action: "iam:PassRole", reason: "the request passed the role arn:aws:iam::111122223333:role/service-role/fn-role",
                                        resource: "arn:aws:iam::111122223333:role/service-role/fn-role")])
  }

  @Test func eventsWithoutADeterminableActionAreReportedNotGuessed() {
    for (source, name) in [("apigateway.amazonaws.com", "CreateRestApi"), ("runtime.sagemaker.amazonaws.com", "InvokeEndpoint"),
                           ("example.amazonaws.com", "DoThing"), ("signin.amazonaws.com", "SomethingNew")]
    {
      guard case .undetermined = resolver.resolveName(eventSource: source, eventName: name) else {
        Issue.record("\(source) \(name) must stay undetermined")
        continue
      }
    }
    let console = CloudTrailEvent(eventSource: "s3.amazonaws.com", eventName: "GetObject", eventType: "AwsConsoleAction")
    guard case .undetermined = resolver.resolve(console) else {
      Issue.record("a console action is not an API call")
      return
    }
    let service = CloudTrailEvent(eventSource: "ec2.amazonaws.com", eventName: "RunInstances", eventType: "AwsServiceEvent")
    guard case .noPermission = resolver.resolve(service) else {
      Issue.record("an AWS service event needs nothing from the caller")
      return
    }
  }

  @Test func readsBareArraysLookupEventsAndDeliveredFiles() throws {
    #expect(try realEvents("stratus-sts-federation-token.json").map(\.eventName) == ["GetFederationToken", "GetCallerIdentity"])
    #expect(throws: CloudTrailReader.ReadError.self) { try CloudTrailReader.read(Array(#"[{"x":1}]"#.utf8), name: "x.json") }
    #expect(try CloudTrailReader.read(Array("[]".utf8), name: "empty.json").isEmpty)
  }
}

/// The real records, attributed to an Identity Center session of the permission set `Developer` in each record's own
/// account. Only `userIdentity` is replaced (and an account given to the one shortened sample without one): what the
/// call was, on what, from where and when stays as recorded.
func attributedTrail(permissionSet: String = "Developer") throws -> String {
  var records: [Any] = []
  for file in realTrailFiles {
    let data = try Data(contentsOf: fixtures.appendingPathComponent("real/" + file))
    for case var record as [String: Any] in try JSONSerialization.jsonObject(with: data) as? [Any] ?? [] {
      let account = record["recipientAccountId"] as? String ?? "012345678901"
      record["recipientAccountId"] = account
      let role = "AWSReservedSSO_\(permissionSet)_0123456789abcdef"
      record["userIdentity"] = [
        "type": "AssumedRole", "principalId": "AROAEXAMPLE:dev@example.com", "accountId": account,
        "arn": "arn:aws:sts::\(account):assumed-role/\(role)/dev@example.com",
        "sessionContext": [
          "sessionIssuer": [
            "type": "Role", "principalId": "AROAEXAMPLE", "accountId": account, "userName": role,
            "arn": "arn:aws:iam::\(account):role/aws-reserved/sso.amazonaws.com/eu-west-1/\(role)",
          ],
          "attributes": ["mfaAuthenticated": "false", "creationDate": "2024-07-30T21:00:00Z"],
        ],
      ]
      records.append(record)
    }
  }
  let folder = Scratch.root.appendingPathComponent("iamsim-unused-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let path = folder.appendingPathComponent("trail.json").path
  try JSONSerialization.data(withJSONObject: ["Records": records]).write(to: URL(fileURLWithPath: path))
  return path
}

func run(_ arguments: [String]) -> (status: IAMSimCLI.ExitStatus, out: String, err: String) {
  var out = ""
  var err = ""
  let status = Tool.run(arguments, environment: [:], stdout: &out, stderr: &err)
  return (status, out, err)
}

func writeFile(_ text: String, named name: String) throws -> String {
  let folder = Scratch.root.appendingPathComponent("iamsim-unused-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let path = folder.appendingPathComponent(name).path
  try text.write(toFile: path, atomically: true, encoding: .utf8)
  return path
}

@Suite struct UnusedOnRealLogsTests {
  /// A broad permission set (PowerUserAccess: a NotAction Allow) with an inline Deny and a resource-scoped grant.
  static let developer = #"""
    {"Name": "Developer", "AwsManagedPolicies": ["arn:aws:iam::aws:policy/PowerUserAccess"],
     "InlinePolicy": {"Version": "2012-10-17", "Statement": [
       {"Effect": "Deny", "Action": ["secretsmanager:DeleteSecret", "lambda:Delete*"], "Resource": "*"},
       {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/stratus-*"}]}}
    """#

  @Test func noActionInUseIsListedUnusedAndEveryPolicyValidatesAndAllowsWhatWasObserved() throws {
    let trail = try attributedTrail()
    let permissionSet = try writeFile(Self.developer, named: "Developer.json")
    let result = run(["unused", trail, "--permission-set", permissionSet, "--format", "json"])
    #expect(result.status == .success, "\(result.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
    let reports = try #require(json["permissionSets"] as? [[String: Any]])
    let events = try realTrailFiles.flatMap { try realEvents($0) }
    #expect(Set(reports.compactMap { $0["account"] as? String }) == Set(events.compactMap { $0.account ?? "012345678901" }))
    for report in reports {
      let account = try #require(report["account"] as? String)
      let used = Set(report["used"] as? [String] ?? [])
      let possible = Set((report["possiblyUsed"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String })
      let unused = Set(report["unused"] as? [String] ?? [])
      let refused = Set(report["refused"] as? [String] ?? [])
      #expect(used.isDisjoint(with: unused) && possible.isDisjoint(with: unused), "\(account)")
      // Every action the account's successful events needed, by AWS's documentation, is used and not unused.
      let accountEvents = events.filter { ($0.account ?? "012345678901") == account }
      for event in accountEvents {
        guard let needed = documentedActions[event.eventName] ?? nil else {
          #expect(!used.contains { $0.hasPrefix("signin:") } && !used.contains("sts:GetCallerIdentity"))
          continue
        }
        if event.wasDenied {
          #expect(refused.isSuperset(of: needed), "\(event.label)")
        } else {
          #expect(used.isSuperset(of: needed), "\(event.label) in \(account)")
          #expect(unused.isDisjoint(with: needed), "\(event.label) in \(account)")
        }
      }
      for action in used.union(unused).union(possible) { #expect(catalog.action(named: action)?.qualifiedName == action) }
      guard let text = report["narrowerPolicy"] as? String else {
        // Only the account whose one event was refused, or that only signed in, has nothing to keep.
        #expect(accountEvents.allSatisfy { $0.wasDenied || documentedActions[$0.eventName] == .some(nil) }, "\(account)")
        continue
      }
      try checkNarrowerPolicy(text, account: account, events: accountEvents.filter { !$0.wasDenied })
    }
  }

  /// The proposed policy holds only catalog actions, never an empty Action, passes `iamsim validate`, allows each
  /// observed request (replayed here from the record, with the documented actions), and allows nothing the
  /// permission set (PowerUserAccess with the inline Deny) does not.
  func checkNarrowerPolicy(_ text: String, account: String, events: [CloudTrailEvent]) throws {
    let document = try PolicyDocument(parsing: Array(text.utf8), name: "narrower", kind: .identity)
    #expect(!document.statements.isEmpty)
    for statement in document.statements {
      #expect(!statement.action.isNegated && !statement.action.patterns.isEmpty)
      for pattern in statement.action.patterns {
        #expect(catalog.action(named: pattern.source)?.qualifiedName == pattern.source, "\(pattern.source)")
      }
    }
    #expect(!text.contains("signin:") && !text.contains("20150331"))
    let file = try writeFile(text, named: "narrower.json")
    let validation = run(["validate", file])
    #expect(validation.status == .success, "\(validation.out)")

    let session = try #require(Principal.roleSession(
      roleARN: "arn:aws:iam::\(account):role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Developer_0123456789abcdef",
      sessionName: "dev@example.com"))
    let narrowed = try Authorizer(PolicySet(identityPolicies: [document]))
    for event in events {
      guard let needed = documentedActions[event.eventName] ?? nil else { continue }
      for action in needed {
        let resource = event.resourceARNs.first { arn in
          action.hasPrefix("s3:") ? arn.contains("/") : true
        } ?? "*"
        let request = AuthorizationRequest(principal: session, action: action, resource: resource, resourceAccount: account)
        #expect(narrowed.authorize(request).decision == .allowed, "\(action) on \(resource) (\(event.label))")
      }
    }
    // Nothing the permission set does not allow: its Deny stays, and IAM (outside PowerUserAccess but PassRole) stays out.
    for action in ["secretsmanager:DeleteSecret", "lambda:DeleteFunction", "iam:CreateUser", "organizations:LeaveOrganization"] {
      #expect(narrowed.authorize(AuthorizationRequest(principal: session, action: action, resourceAccount: account)).decision
        != .allowed, "\(action)")
    }
  }

  @Test func theNarrowerPolicyNeverWidensAGrantAndKeepsItsDenies() throws {
    let policy = try PolicyDocument(parsing: Array(#"""
      {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["lambda:Update*", "lambda:AddPermission"],
         "Resource": "arn:aws:lambda:*:*:function:stratus-red-team-*"},
        {"Effect": "Allow", "NotAction": ["iam:*", "lambda:*"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-westwest-1r"}}},
        {"Effect": "Deny", "NotAction": "secretsmanager:ListSecrets", "Resource": "arn:aws:secretsmanager:*:*:secret:prod-*"}]}
      """#.utf8), name: "inline", kind: .identity)
    let events = try ["stratus-lambda-overwrite-code.json", "stratus-lambda-backdoor-function.json",
                      "stratus-secretsmanager-batch-retrieve-secrets.json"].flatMap { try realEvents($0) }
    let used: Set<String> = ["lambda:UpdateFunctionCode", "lambda:AddPermission", "secretsmanager:BatchGetSecretValue",
                             "secretsmanager:GetSecretValue", "secretsmanager:ListSecrets"]
    #expect(events.count == 4)
    let text = try #require(NarrowerPolicy.build(from: [policy], keeping: used, catalog: catalog))
    let narrower = try PolicyDocument(parsing: Array(text.utf8), name: "narrower", kind: .identity)
    // Each Allow keeps its statement's resources and conditions exactly.
    let allows = narrower.statements.filter { $0.effect == .allow }
    #expect(allows.count == 2)
    #expect(allows.contains { $0.resource?.patterns.map(\.source) == ["arn:aws:lambda:*:*:function:stratus-red-team-*"] })
    #expect(allows.contains { $0.conditions.map(\.key) == ["aws:RequestedRegion"] })
    let original = try Authorizer(PolicySet(identityPolicies: [policy]))
    let narrowed = try Authorizer(PolicySet(identityPolicies: [narrower]))
    let probes: [(String, String, String?)] = [
      ("lambda:UpdateFunctionCode", "arn:aws:lambda:ap-westeast-2r:266106314375:function:stratus-red-team-olc-func-vayhjqkdav", nil),
      ("lambda:UpdateFunctionCode", "arn:aws:lambda:us-east-1:111122223333:function:payments", nil),
      ("lambda:UpdateFunctionConfiguration", "arn:aws:lambda:us-east-1:111122223333:function:stratus-red-team-x", nil),
      ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-westwest-1r:165109126369:secret:app-1", "eu-westwest-1r"),
      ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-westwest-1r:165109126369:secret:prod-1", "eu-westwest-1r"),
      ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:165109126369:secret:app-1", "us-east-1"),
      ("secretsmanager:ListSecrets", "*", "eu-westwest-1r"),
      ("secretsmanager:DeleteSecret", "*", "eu-westwest-1r"),
    ]
    for (action, resource, region) in probes {
      var context = RequestContext()
      if let region { context.set("aws:RequestedRegion", region) }
      let request = AuthorizationRequest(action: action, resource: resource, context: context)
      let before = original.authorize(request).decision
      let after = narrowed.authorize(request).decision
      #expect(after != .allowed || before == .allowed, "\(action) on \(resource) in \(region ?? "-"): widened")
      if used.contains(action) && before == .allowed { #expect(after == .allowed, "\(action) on \(resource): lost") }
    }
  }

  @Test func permissionSetsNobodyUsedAreReportedWhollyUnused() throws {
    let trail = fixtures.appendingPathComponent("cloudtrail-log.json.gz").path
    let org = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("cases/example-org").path
    let result = run(["unused", trail, "--org", org, "--format", "json"])
    #expect(result.status == .success, "\(result.err)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
    let reports = try #require(json["permissionSets"] as? [[String: Any]])
    let unused = reports.filter { $0["status"] as? String == "unused" }
    #expect(!unused.isEmpty)
    for report in unused {
      #expect(report["narrowerPolicy"] is NSNull)
      #expect((report["unused"] as? [String])?.count == report["grantedCount"] as? Int)
      #expect((report["grantedCount"] as? Int ?? 0) > 0)
    }
    let used = try #require(reports.first { $0["status"] as? String == "used" })
    #expect(used["permissionSet"] as? String == "DatabaseAdministrator" && used["account"] as? String == "111122223333")
  }

  @Test func textOutputNamesTheUnmappedAndTheSignIns() throws {
    let trail = try attributedTrail()
    let permissionSet = try writeFile(Self.developer, named: "Developer.json")
    let result = run(["unused", trail, "--permission-set", permissionSet])
    #expect(result.status == .success)
    #expect(result.out.contains("needs no permission: ConsoleLogin (signin.amazonaws.com)"))
    #expect(result.out.contains("needs no permission: GetCallerIdentity (sts.amazonaws.com)"))
    #expect(result.out.contains("refused: ec2:GetPasswordData"))
    #expect(!result.out.contains("\"signin:"))
  }
}
