import IAMEvaluation
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
  /// Context for every request of the file.
  let context: RequestContext
  /// The requests in file order.
  let requests: [CaseRequest]
}

/// One request of a case file with its expected decision.
struct CaseRequest {
  /// The request's index in `requests`.
  let index: Int
  let action: String
  let resource: String
  let resourceAccount: String?
  /// The request's own context, laid over the file's.
  let context: RequestContext
  /// The expected decision; `nil` only where expectations are not needed (`eval --case`).
  let expect: Decision?
  /// Whether the request tests an action the catalog does not know on purpose (`"unknownAction": true`).
  var unknownAction = false
}
