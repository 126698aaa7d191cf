import IAMPolicy

/// Whether some ARN of a resource type could match a policy's resource pattern (`catalog.resource-fits-no-type`).
///
/// IAM matches the first five parts of an ARN one by one (a wildcard there never spans `:`), and the resource
/// part as a whole, where `*` spans `/` and `:` ("Each part of the ARN can contain wildcards: `*` matches any
/// combination of characters"). A pattern of fewer than six parts whose last part ends in `*` lets that part span
/// the rest of the ARN. A catalog ARN format (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) is read the same
/// way, each `${…}` placeholder standing for any value: in the first five parts any value without `:`, in the
/// resource part any value at all. The test is then exact: both are turned into token sequences over the whole
/// ARN and their intersection is searched for a common string.
struct ResourceTypeFit: Sendable {
  /// One position of a pattern over the whole ARN text.
  enum Token: Sendable, Hashable {
    /// A character matched exactly.
    case literal(Unicode.Scalar)
    /// Any one character (`?`); `colon` says whether it may be `:`.
    case one(colon: Bool)
    /// Any run of characters (`*` or a placeholder); `colon` says whether it may hold `:`.
    case run(colon: Bool)
  }

  /// A catalog ARN format as tokens.
  static func tokens(template: String) -> [Token] {
    let scalars = Array(template.unicodeScalars)
    let separators = min(scalars.count { $0 == ":" }, 5)
    var tokens: [Token] = []
    var colons = 0
    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      if scalar == "$", index + 1 < scalars.count, scalars[index + 1] == "{",
        let close = scalars[(index + 2)...].firstIndex(of: "}")
      {
        // In the resource part (or in a format without six parts) a value may hold anything.
        tokens.append(.run(colon: colons >= 5 || separators < 5))
        index = close + 1
        continue
      }
      if scalar == ":" { colons += 1 }
      tokens.append(.literal(scalar))
      index += 1
    }
    return tokens
  }

  /// A policy resource pattern (no variables) as tokens, or `nil` when it can match no ARN at all
  /// (as `ARNPattern` rejects it: fewer than six parts without a trailing `*`).
  static func tokens(pattern: String) -> [Token]? {
    let scalars = Array(pattern.unicodeScalars)
    let colonCount = scalars.count { $0 == ":" }
    let absorbs = colonCount < 5
    if absorbs && scalars.last != "*" { return nil }
    var tokens: [Token] = []
    var colons = 0
    for scalar in scalars {
      // Parts 0–4 never hold `:`; the resource part, or the last part of a short pattern, may.
      let spansColon = colons >= 5 || (absorbs && colons == colonCount)
      switch scalar {
      case "*": tokens.append(.run(colon: spansColon))
      case "?": tokens.append(.one(colon: spansColon))
      case ":":
        colons += 1
        tokens.append(.literal(scalar))
      default: tokens.append(.literal(scalar))
      }
    }
    return tokens
  }

  /// Whether some string matches both token sequences (the product of the two glob automata is searched).
  ///
  /// - Complexity: O(n·m) states, each left by at most four moves.
  static func intersects(_ a: [Token], _ b: [Token]) -> Bool {
    let width = b.count + 1
    var seen = [Bool](repeating: false, count: (a.count + 1) * width)
    var stack = [(0, 0)]
    seen[0] = true
    func push(_ i: Int, _ j: Int) {
      if !seen[i * width + j] {
        seen[i * width + j] = true
        stack.append((i, j))
      }
    }
    while let (i, j) = stack.popLast() {
      if i == a.count && j == b.count { return true }
      // A run may match nothing.
      if i < a.count, case .run = a[i] { push(i + 1, j) }
      if j < b.count, case .run = b[j] { push(i, j + 1) }
      guard i < a.count, j < b.count else { continue }
      // Both consume one common character.
      guard let (nextI, nextJ) = step(a[i], b[j]) else { continue }
      if nextI || nextJ { push(nextI ? i + 1 : i, nextJ ? j + 1 : j) }
    }
    return false
  }

  /// Whether two tokens can consume one common character, and which of them move on after it (a run stays).
  private static func step(_ x: Token, _ y: Token) -> (Bool, Bool)? {
    func accepts(_ token: Token, _ scalar: Unicode.Scalar) -> Bool {
      switch token {
      case .literal(let own): own == scalar
      case .one(let colon), .run(let colon): colon || scalar != ":"
      }
    }
    func advances(_ token: Token) -> Bool {
      if case .run = token { return false }
      return true
    }
    let common: Bool =
      switch (x, y) {
      case (.literal(let scalar), _): accepts(y, scalar)
      case (_, .literal(let scalar)): accepts(x, scalar)
      default: true  // two wildcards share some character other than `:`
      }
    return common ? (advances(x), advances(y)) : nil
  }
}
