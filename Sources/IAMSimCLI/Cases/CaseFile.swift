import IAMEvaluation
import IAMOrganization
import IAMPolicy

/// A regression-test case file: who asks, under which policies, and what each request must come to.
///
/// The format is the public contract of `case-format.md`.
struct CaseFile {
  /// The file's path.
  let path: String
  /// The free-text description.
  let description: String?
  /// The caller.
  let principal: Principal
  /// Every policy the requests are evaluated under.
  let policies: PolicySet
  /// The names of the policies taken from the shipped AWS managed library (named by ARN in the file, or through a
  /// permission set): not under test, so left out of statement coverage.
  var awsManagedPolicies: Set<String> = []
  /// Context for every request of the file.
  let context: RequestContext
  /// The requests in file order.
  let requests: [CaseRequest]
  /// The organization the file names (`"organization"`), whose callers its requests name.
  var organization: OrganizationReference? = nil

  /// Whether the requests are asked by callers of an organization (`"caller"`) rather than under spelled-out policies.
  var usesOrganization: Bool { organization != nil || requests.contains { $0.caller != nil } }
}

/// The organization directory a case file names, and where it names it.
struct OrganizationReference {
  /// The directory, resolved against the case file's folder.
  let directory: String
  let path: JSONPath
  let position: SourcePosition?
}

/// A caller of an organization (`"caller"`), and where the case file names it.
struct CallerReference {
  let caller: Caller
  /// `$.caller` for the file's default, `$.requests[N].caller` for a request's own.
  let path: JSONPath
  let position: SourcePosition?
}

/// One request of a case file with its expected decision.
struct CaseRequest {
  /// The request's index in `requests`.
  let index: Int
  /// The request's name (`"name"`), shown in failures and JUnit test-case names.
  var name: String? = nil
  let action: String
  let resource: String
  let resourceAccount: String?
  /// The request's own context, laid over the file's.
  let context: RequestContext
  /// The expected decision; `nil` only where expectations are not needed (`eval --case`).
  let expect: Decision?
  /// Statements that must be among those that decided (`"decidedBy"`); `nil` when the file does not say.
  var decidedBy: [ExpectedStatement]? = nil
  /// Whether the request tests an action the catalog does not know on purpose (`"unknownAction": true`).
  var unknownAction = false
  /// The caller of the organization that asks (the request's own `caller`, else the file's); `nil` when the file
  /// spells out its policies.
  var caller: CallerReference? = nil
}

/// One statement a request must be decided by (`decidedBy`): every member given must match one statement of the
/// response's deciding statements (for an allow, the Allow statements that allowed it; for an explicit deny, the
/// Deny statements that matched).
struct ExpectedStatement: Hashable {
  /// The statement's `Sid`, compared exactly.
  var sid: String?
  /// The policy, as the engine names it: the path or ARN as written in the case file, or, for a policy written
  /// inline in the case file, its JSON path there (`$.identityPolicies[0]`).
  var policy: String?
  /// The statement's index in its policy's `Statement` (from 0).
  var index: Int?
  /// The layer: `identity`, `boundary`, `session`, `resource`, `scp[N]` or `rcp[N]` (N from 0, root first).
  var layer: String?

  /// The members a `decidedBy` object may have.
  static let members = ["sid", "policy", "index", "layer"]

  /// Whether the statement `reference` of the case file at `caseFile` is this one.
  func matches(_ reference: StatementReference, caseFile: String) -> Bool {
    if let sid, reference.sid != sid { return false }
    if let index, reference.index != index { return false }
    if let layer, reference.layer.name != layer { return false }
    if let policy, reference.policy != policy && reference.policy != "\(caseFile) \(policy)" { return false }
    return true
  }

  /// The statement in words: `statement "ReadOnly" of policy.json in identity`.
  var description: String {
    var text = "statement"
    if let sid { text += " \"\(sid)\"" }
    if let index { text += " #\(index)" }
    if let policy { text += " of \(policy)" }
    if let layer { text += " in \(layer)" }
    return text
  }

  /// The statement as JSON: the members given, in a fixed order.
  var json: JSONOutput {
    .object(
      [("sid", sid.map(JSONOutput.string)), ("policy", policy.map(JSONOutput.string)), ("index", index.map(JSONOutput.int)),
       ("layer", layer.map(JSONOutput.string))].compactMap { key, value in value.map { (key, $0) } })
  }
}
