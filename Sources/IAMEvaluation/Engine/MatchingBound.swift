import IAMPolicy

/// An upper bound on the wildcard-matching work one request costs a policy set, known before any matching.
///
/// Matching retries a `*` at each position of the text, and each retry may compare the pattern bytes after it:
/// `*aaaa…b` against a long text costs the text's length times that run, and a policy may hold many such
/// patterns (500 of them, a 2 MB policy, against an 8 KiB resource took 17 s before this bound). The bound sums,
/// over the patterns that can retry, their ``WildcardPattern/retryWeight`` times the length of the text they are
/// matched against: the action name, the resource, or (for `…Like` and `Arn…` conditions) the context's values,
/// all of them together, as a set operator reads every value of its key. A request over ``budget`` is not matched
/// at all, and every statement fails closed, as for an over-long text: an Allow does not apply, a Deny does. Real
/// policies cost far less: ReadOnlyAccess's thousands of `Get*`-shaped patterns never retry, and a 2,048-byte ARN
/// against a hundred `…/*/logs/*` patterns is bounded by 1.4 million.
struct MatchingBound: Sendable {
  /// The most steps one request may cost; about a tenth of a second of matching.
  static let budget = 100_000_000

  /// Steps per byte of the action name, of the resource, and of the context's values.
  private var action = 0
  private var resource = 0
  private var condition = 0
  /// Variables after a `*` in resource and condition templates: their values lengthen each retry.
  private var resourceVariables: [(key: HashedKey, defaultLength: Int)] = []
  private var conditionVariables: [(key: HashedKey, defaultLength: Int)] = []
  /// Whether no request can exceed the budget: no pattern reads a variable or a context value, and the action and
  /// resource patterns stay within it at the longest text matched (``PreparedRequest/maximumMatchedLength``; a longer
  /// one is refused before matching). Most policy sets, so most requests skip the sum.
  private var neverExceeds = false

  init(_ policies: [CompiledPolicy]) {
    for statement in policies.lazy.flatMap(\.document.statements) {
      for pattern in statement.action.patterns { action += pattern.name?.retryWeight ?? 0 }
      for pattern in statement.resource?.patterns ?? [] {
        switch pattern.matcher {
        case .anything: break
        case .arn(let arn): resource += arn.retryWeight
        case .template(let template):
          let (weight, variables) = template.retryWeight
          resource += weight
          resourceVariables += variables
        }
      }
      for condition in statement.conditions {
        let family = condition.conditionOperator.base.family
        guard family == .stringLike || family == .arn else { continue }
        for value in condition.values {
          switch value.parsed {
          case .pattern(let pattern): self.condition += pattern.retryWeight
          case .arn(let arn): self.condition += arn.retryWeight
          case .text:
            let (weight, variables) = value.template.retryWeight
            self.condition += weight
            conditionVariables += variables
          default: break
          }
        }
      }
    }
    neverExceeds =
      resourceVariables.isEmpty && conditionVariables.isEmpty && condition == 0
      && (action + resource) * PreparedRequest.maximumMatchedLength <= MatchingBound.budget
  }

  /// Whether the bound counts the bytes of every context value: whether a condition's pattern can retry.
  var countsContextValues: Bool { condition > 0 || !conditionVariables.isEmpty }

  /// Why the request may not be matched, when its bound exceeds ``budget``.
  ///
  /// - Complexity: O(1), plus a context lookup per variable after a `*` (rare in real policies).
  func problem(for request: PreparedRequest) -> String? {
    if neverExceeds { return nil }
    let index = request.contextIndex
    func length(_ variables: [(key: HashedKey, defaultLength: Int)]) -> Int {
      variables.reduce(0) { $0 + (index.singleValue($1.key)?.utf8.count ?? $1.defaultLength) }
    }
    // Each product is at most a few megabytes (a policy's patterns) times a few megabytes (a text): no overflow.
    // The context's values are counted only when a pattern is matched against them.
    let conditionWeight = condition + length(conditionVariables)
    let steps =
      action * request.lowercasedName.count
      + (resource + length(resourceVariables)) * request.request.resource.utf8.count
      + (conditionWeight == 0 ? 0 : conditionWeight * index.valueBytes)
    guard steps > MatchingBound.budget else { return nil }
    return "matching this request's texts against the policies' wildcard patterns could take over \(MatchingBound.budget) steps (each `*` is retried at every position of a long text), so no statement is matched"
  }
}
