import Dispatch
import IAMPolicy
import IAMTestSupport
import Testing

@testable import IAMEvaluation

/// What `PreparedRequest` computes once for the fast path (issue 5) must equal what the general code computes.
@Suite struct PreparedRequestTests {
  static let cases = 5_000

  static func text(_ alphabet: [String], _ lengths: ClosedRange<Int>, _ generator: inout SeededGenerator) -> String {
    (0..<Int.random(in: lengths, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
  }

  @Test func theContextIsTheDerivedContextWithTheRequestContextLaidOverIt() {
    var generator = SeededGenerator(seed: 11)
    let keys = ["aws:PrincipalArn", "AWS:principalarn", "aws:userid", "aws:SourceIp", "aws:PrincipalTag/Team",
                "aws:principaltag/team", "s3:prefix", "aws:TokenIssueTime"]
    let principals = [
      "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/alice@example.com",
      "arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:role/r", "arn:aws:iam::111122223333:root",
      "arn:aws:sts::111122223333:federated-user/carol",
    ]
    for _ in 0..<Self.cases {
      guard case .success(var principal) = Principal.parse(principals.randomElement(using: &generator)!) else { continue }
      for _ in 0..<Int.random(in: 0...3, using: &generator) {
        // Appended directly, so that two tags may differ only in case: the later one must win.
        principal.tags.append((["Team", "team", "Project"].randomElement(using: &generator)!, Self.text(["a", "b"], 1...2, &generator)))
      }
      var context = RequestContext()
      for _ in 0..<Int.random(in: 0...4, using: &generator) {
        let key = keys.randomElement(using: &generator)!
        if Bool.random(using: &generator) {
          context.set(key, Self.text(["x", "1"], 1...3, &generator))
        } else {
          context.set(key, values: ["p", "q"])
        }
      }
      let request = AuthorizationRequest(principal: principal, action: "s3:GetObject", context: context)
      let prepared = PreparedRequest(request)
      #expect(prepared.context == principal.derivedContext.merging(context))
      for key in keys + ["aws:missing"] {
        let hashed = HashedKey(key.lowercased())
        #expect(same(prepared.contextIndex.entry(hashed), prepared.context.entry(lowercased: key.lowercased())), "\(key)")
        #expect(prepared.contextIndex.singleValue(hashed) == prepared.context.singleValue(lowercased: key.lowercased()))
      }
      // The same context given in two parts, one shared by a prepared caller and one the request's own, prepares
      // the same request.
      var shared = RequestContext()
      var own = RequestContext()
      for entry in context.sortedEntries {
        if Bool.random(using: &generator) { shared.set(entry) } else { own.set(entry) }
      }
      if Bool.random(using: &generator), let key = keys.randomElement(using: &generator) {
        shared.set(key, "overridden")  // a shared key the request's own context replaces
        if own[key] == nil { own.set(key, "own") }
      }
      let caller = PreparedCaller(principal, sharedContext: shared)
      let split = PreparedRequest(AuthorizationRequest(action: "s3:GetObject", context: own), caller: caller)
      let whole = PreparedRequest(AuthorizationRequest(principal: principal, action: "s3:GetObject", context: shared.merging(own)))
      #expect(split.context == whole.context)
      #expect(split.request.principal == principal)
      #expect(split.principalARN == whole.principalARN && split.isServiceLinkedRole == whole.isServiceLinkedRole)
      #expect(split.contextIndex.valueBytes == whole.contextIndex.valueBytes)
      for key in keys + ["aws:missing"] {
        #expect(same(split.contextIndex.entry(HashedKey(key.lowercased())), whole.context.entry(lowercased: key.lowercased())))
      }
    }
  }

  /// A request's own context kept as it was set (for policies that look up no key) answers every lookup as the same
  /// context prepared does, and as a table by `lowercased()` keys would: keys that differ only in case, in ASCII or
  /// not (the Kelvin sign lower-cases to `k`), or that are canonically equivalent (`é` and `e` with an accent) are
  /// one key, and the later one set wins.
  @Test func aContextKeptAsSetIsLookedUpAsPrepared() {
    var generator = SeededGenerator(seed: 17)
    let parts = ["aws:", "AWS:", "k", "K", "\u{212A}", "e", "\u{E9}", "e\u{301}", "İ", "i", "ß", "Tag/", "x"]
    for _ in 0..<Self.cases {
      var context = RequestContext()
      var reference: [String: (key: String, values: [String], multivalued: Bool)] = [:]
      var keys: [String] = []
      for _ in 0..<Int.random(in: 0...6, using: &generator) {
        let key = Self.text(parts, 1...4, &generator)
        keys.append(key)
        if Bool.random(using: &generator) {
          let value = Self.text(["v", "1"], 1...3, &generator)
          context.set(key, value)
          reference[key.lowercased()] = (key, [value], false)
        } else {
          context.set(key, values: ["p", "q"])
          reference[key.lowercased()] = (key, ["p", "q"], true)
        }
      }
      #expect(context.count == reference.count, "\(keys)")
      let request = AuthorizationRequest(action: "s3:GetObject", context: context)
      let asSet = PreparedRequest(request, derivingKeys: false, readsContext: false)
      let prepared = PreparedRequest(request, derivingKeys: false, readsContext: true)
      for key in keys + ["aws:missing", "aws:resourceaccount", "aws:principalarn"] {
        let lowered = key.lowercased()
        let hashed = HashedKey(lowered)
        let expected = reference[lowered]
        let entry = asSet.contextIndex.entry(hashed)
        #expect(entry?.key == expected?.key && entry.map { Array($0.values) } == expected?.values, "\(key) in \(keys)")
        #expect(same(prepared.contextIndex.entry(hashed), entry.map(\.entry)), "\(key) in \(keys)")
        #expect(asSet.contextIndex.contains(hashed) == (entry != nil))
        #expect(asSet.contextIndex.singleValue(hashed) == prepared.contextIndex.singleValue(hashed))
        #expect(context[key]?.key == expected?.key)
      }
      #expect(asSet.contextIndex.valueBytes == prepared.contextIndex.valueBytes)
      #expect(context.prepared() == context)
    }
  }

  /// A request's own `aws:PrincipalArn` is the ARN a resource policy's `Principal` is matched against (the caller's
  /// role otherwise): it is looked up when a `Principal` is matched, not when the request is prepared.
  @Test func anOwnPrincipalArnIsTheArnAPrincipalIsMatchedAgainst() throws {
    let named = "arn:aws:iam::111122223333:role/Named"
    let caller = try Principal.parse("arn:aws:sts::111122223333:assumed-role/Other/session").get()
    var context = RequestContext()
    context.set("aws:PrincipalArn", named)
    let given = AuthorizationRequest(
      principal: caller, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/key", context: context)
    let bare = AuthorizationRequest(principal: caller, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/key")
    #expect(PreparedRequest(given).principalARN == named)
    #expect(PreparedRequest(bare).principalARN == "arn:aws:iam::111122223333:role/Other")
    // A caller's shared `aws:PrincipalArn` names the caller unless the request's own hides it.
    var shared = RequestContext()
    shared.set("aws:PrincipalArn", "arn:aws:iam::111122223333:role/Shared")
    let sharing = PreparedCaller(caller, sharedContext: shared)
    #expect(PreparedRequest(bare, caller: sharing).principalARN == "arn:aws:iam::111122223333:role/Shared")
    #expect(PreparedRequest(given, caller: sharing).principalARN == named)

    let bucketPolicy = try policy(
      #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"\#(named)"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}"#,
      kind: .resource)
    let naming = try Authorizer(PolicySet(resourcePolicy: bucketPolicy))
    #expect(naming.authorize(given).decision == .allowed)
    #expect(naming.authorize(bare).decision == .implicitDeny)

    let identity = try Authorizer(
      PolicySet(identityPolicies: [
        try policy(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#)
      ]))
    #expect(identity.authorize(given) == identity.authorize(PreparedRequest(given)))
    #expect(identity.authorize(given).decision == .allowed)
  }

  @Test func actionsSplitAsTheCharacterBasedSplit() {
    var generator = SeededGenerator(seed: 12)
    for _ in 0..<Self.cases {
      let action = Self.text(["s3", "S3", ":", "Get", "é", "\u{301}", "*", "K", "\u{212A}", "x"], 0...6, &generator)
      let prepared = PreparedRequest(AuthorizationRequest(action: action))
      let parts = action.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
      let service = parts.count == 2 ? parts[0].lowercased() : ""
      let name = parts.count == 2 ? Array(parts[1].lowercased().utf8) : Array(action.lowercased().utf8)
      #expect(prepared.service == service, "\(action)")
      #expect(Array(prepared.lowercasedName) == name, "\(action)")
    }
  }

  @Test func serviceLinkedRolesAreFoundAsByCharacters() {
    var generator = SeededGenerator(seed: 13)
    let needle = Array(":role/aws-service-role/")
    for _ in 0..<Self.cases {
      let role = Self.text(["arn:aws:iam::1", ":role/", "aws-service-role/", "x", "/", "\u{301}", "é", ":"], 0...6, &generator)
      var principal = Principal.defaultSession
      principal.roleARN = role
      let characters = Array(role)
      let reference = characters.count >= needle.count
        && (0...(characters.count - needle.count)).contains { Array(characters[$0..<($0 + needle.count)]) == needle }
      #expect(principal.isServiceLinkedRole == reference, "\(role.debugDescription)")
    }
  }

  /// A context key is found regardless of case (rule G-10) whether it is one of the known keys, looked up in a table
  /// made once, or another, lower-cased and hashed: both give the key `lowercased()` gives.
  @Test func contextKeysAreTheLowercasedKeys() {
    var generator = SeededGenerator(seed: 17)
    let pieces = KnownContextKeys.names + ["aws:", "A", "é", "\u{301}", "K", "\u{212A}", "x", "/", "Tag", ":"]
    for _ in 0..<Self.cases {
      var key = Self.text(pieces, 1...3, &generator)
      if Bool.random(using: &generator) {
        key = String(key.map { Bool.random(using: &generator) ? Character($0.uppercased()) : $0 })
      }
      let expected = key.lowercased()
      #expect(RequestContext.lowercasedKey(key) == expected, "\(key.debugDescription)")
      #expect(RequestContext.contextKey(key) == ContextKey(expected), "\(key.debugDescription)")
    }
    for name in KnownContextKeys.names {
      #expect(RequestContext.contextKey(name.uppercased()).text == name.lowercased())
    }
  }

  /// A key's fold sets bit 5 of every byte, so that ASCII capitals fold onto small letters, and `@` onto `` ` ``, `[`
  /// onto `{`, `^` onto `~`: keys that fold alike but differ are still told apart, in a context and among shared
  /// actions, while the same key in another case replaces the first.
  @Test func keysThatFoldAlikeButDifferStayApart() {
    let pairs = [("aws:Key@", "aws:key`"), ("aws:Key[1]", "aws:key{1}"), ("aws:k^ey", "aws:k~ey"), ("s3:@", "s3:`")]
    for (first, second) in pairs {
      #expect(ASCIIFold(first) == ASCIIFold(second), "the pair folds alike")
      var context = RequestContext()
      context.set(first, "one")
      context.set(second, "two")
      #expect(context.count == 2, "\(first) \(second)")
      #expect(context.singleValue(lowercased: first.lowercased()) == "one")
      #expect(context.singleValue(lowercased: second.lowercased()) == "two")
      context.set(first.uppercased(), "three")
      #expect(context.count == 2)
      #expect(context.singleValue(lowercased: first.lowercased()) == "three")
      #expect(context.singleValue(lowercased: second.lowercased()) == "two")
      let actions = SharedActions(capacity: 8)
      #expect(actions.action(first).action == first)
      #expect(actions.action(second).action == second)
      #expect(actions.action(first) === actions.action(first))
    }
  }

  /// The known keys are compared eight ASCII-lower-cased bytes at a time: a key one byte away from a known name, by
  /// a byte next to the letters (`@` before `A`, `[` after `Z`, `` ` `` before `a`, `{` after `z`) or by two bytes of
  /// non-ASCII text of the same length, is not taken for that name, at every position of every name.
  @Test func nearMissesOfKnownKeysAreOtherKeys() {
    for name in KnownContextKeys.names {
      let bytes = Array(name.utf8)
      for position in bytes.indices {
        for replacement in ["@", "[", "`", "{"].map({ UInt8(ascii: Unicode.Scalar($0)!) }) {
          var mutated = bytes
          mutated[position] = replacement
          let key = String(decoding: mutated, as: UTF8.self)
          #expect(RequestContext.contextKey(key) == ContextKey(key.lowercased()), "\(key.debugDescription)")
          #expect(RequestContext.contextKey(key).text != name, "\(key.debugDescription)")
        }
        guard position + 1 < bytes.count else { continue }
        let wide = String(decoding: bytes[..<position] + Array("é".utf8) + bytes[(position + 2)...], as: UTF8.self)
        #expect(RequestContext.contextKey(wide) == ContextKey(wide.lowercased()), "\(wide.debugDescription)")
      }
    }
  }

  /// A context of many keys (kept in a dictionary) and one of few (kept in an array) answer alike, regardless of the
  /// case of the key looked up, and two contexts with the same entries set in another order are equal and hash alike.
  @Test func contextsOfAnySizeAnswerAlike() {
    var generator = SeededGenerator(seed: 19)
    for _ in 0..<500 {
      let count = Int.random(in: 0...40, using: &generator)
      var pairs: [(String, String)] = []
      for _ in 0..<count {
        pairs.append(("k:\(Int.random(in: 0...30, using: &generator))", Self.text(["a", "b"], 1...2, &generator)))
      }
      var forward = RequestContext()
      var reference: [String: String] = [:]
      for (key, value) in pairs {
        forward.set(key, value)
        reference[key] = value
      }
      // The same final entries, set in another order (each key once, with its last value).
      var backward = RequestContext()
      for (key, value) in reference.sorted(by: { $0.key > $1.key }) { backward.set(key, value) }
      #expect(forward.sortedEntries.map(\.key).map { $0.lowercased() } == reference.keys.sorted())
      for (key, value) in reference {
        #expect(forward[key.uppercased()]?.values == [value])
        #expect(backward[key]?.values == [value])
      }
      #expect(forward.sortedEntries.map(\.values) == backward.sortedEntries.map(\.values))
      #expect(forward == backward)
      #expect(forward.hashValue == backward.hashValue)
      if let (key, _) = reference.first {
        var removed = forward
        removed.remove(key.uppercased())
        #expect(removed[key] == nil && removed != forward && forward[key] != nil)
      }
    }
  }

  /// A principal's parts are shared by its copies: changing one copy leaves the others as they were.
  @Test func aChangedCopyOfAPrincipalLeavesTheOriginalAlone() {
    guard case .success(let original) = Principal.parse("arn:aws:sts::111122223333:assumed-role/Admin/alice") else {
      Issue.record("the ARN must parse")
      return
    }
    var copy = original
    copy.tags.append(("Team", "data"))
    copy.arn = "arn:aws:sts::444455556666:assumed-role/Other/bob"
    copy.account = "444455556666"
    copy.sessionName = "bob"
    #expect(original.tags.isEmpty)
    #expect(original.arn == "arn:aws:sts::111122223333:assumed-role/Admin/alice")
    #expect(original.account == "111122223333")
    #expect(original.sessionName == "alice")
    #expect(copy.tags.map(\.key) == ["Team"])
    #expect(copy.account == "444455556666")
    var again = copy
    again.setTag("team", "ops")
    #expect(copy.tags.map(\.value) == ["data"])
    #expect(again.tags.map(\.key) == ["team"] && again.tags.map(\.value) == ["ops"])
  }

  /// Actions prepared for fresh requests are shared within the process only between byte-identical ASCII texts.
  @Test func sharedPreparedActionsAreTheRequestsOwnText() {
    let first = PreparedAction.shared("rds:CreateDBInstance")
    #expect(PreparedAction.shared("rds:CreateDBInstance") === first)
    #expect(PreparedAction.shared("RDS:CreateDBInstance") !== first)
    // `s3:GetK` and `s3:Get` + Kelvin sign are equal Strings: each must keep its own bytes.
    let ascii = PreparedAction.shared("s3:GetK")
    let kelvin = PreparedAction.shared("s3:Get\u{212A}")
    #expect(ascii.action.utf8.elementsEqual("s3:GetK".utf8))
    #expect(kelvin.action.utf8.elementsEqual("s3:Get\u{212A}".utf8))
    let request = AuthorizationRequest(action: "s3:Get\u{212A}", resource: "*")
    #expect(PreparedRequest(request).request.action.utf8.elementsEqual("s3:Get\u{212A}".utf8))
  }

  /// Threads that share actions while others add them each get the action they named, and one object per text:
  /// lookups read a published table without the lock, and 3,000 new actions cross many publications (after each
  /// of the first 64, then at each doubling) while they read. Past its capacity, a table prepares actions anew.
  @Test func sharedActionsAreFoundWhileOthersAreAdded() {
    let shared = SharedActions(capacity: 3_000)
    let names = (0..<3_000).map { "sharedtest\($0 % 7):Action\($0)" }
    let found = ResultBuffer<PreparedAction?>(count: 4 * names.count, initial: nil)
    DispatchQueue.concurrentPerform(iterations: 4) { thread in
      // Each thread walks the names in its own order, so that some look up what others are adding.
      for step in 0..<names.count {
        let index = thread % 2 == 0 ? step : names.count - 1 - step
        found[thread * names.count + index] = shared.action(names[index])
      }
    }
    #expect(shared.count == 3_000)
    for (index, name) in names.enumerated() {
      let first = found[index]!
      #expect(first.action == name)
      #expect((1..<4).allSatisfy { found[$0 * names.count + index]! === first }, "\(name) was prepared twice")
      #expect(shared.action(name) === first)
    }
    let beyond = shared.action("sharedtest:Beyond")
    #expect(beyond.action == "sharedtest:Beyond" && shared.action("sharedtest:Beyond") !== beyond)
    #expect(shared.count == 3_000)
  }
}

/// Whether an index entry holds what a context entry holds.
private func same(_ indexed: ContextIndex.Entry?, _ entry: RequestContext.Entry?) -> Bool {
  indexed.map { Array($0.values) } == entry?.values && indexed?.isMultivalued == entry?.isMultivalued
}
