/// The session-tag rules STS applies to every tagged session (F-6).
enum SessionTagRules {
  static let maximumCount = 50
  static let maximumKeyLength = 128
  static let maximumValueLength = 256
  static let reservedPrefix = "aws:"

  /// Applies the rules to proposed tags and returns the tags the session would carry, in order, with findings.
  ///
  /// A multi-valued candidate keeps its first value and a duplicate key keeps its first occurrence, so that the
  /// hypothetical session stays usable for "what if" evaluation; the findings say that STS would refuse it.
  static func apply(to candidates: [TagCandidate]) -> (tags: [SessionTag], findings: [Finding]) {
    var tags: [SessionTag] = []
    var findings: [Finding] = []
    var seen: [String: String] = [:]
    if candidates.count > maximumCount {
      findings.append(
        Finding(
          .tagCount, "\(candidates.count) session tags are passed; sts accepts at most \(maximumCount)",
          location: candidates[maximumCount].location))
    }
    for candidate in candidates {
      findings += check(candidate)
      let folded = candidate.key.lowercased()
      if let first = seen[folded] {
        findings.append(
          Finding(
            .tagDuplicateKey,
            "session tag key \"\(candidate.key)\" repeats \"\(first)\"; tag keys are compared without regard to case",
            subject: candidate.origin, location: candidate.location))
        continue
      }
      seen[folded] = candidate.key
      tags.append(SessionTag(key: candidate.key, value: candidate.values.first ?? ""))
    }
    return (tags, findings)
  }

  /// Checks `TransitiveTagKeys` against the tags that are passed.
  static func checkTransitiveKeys(_ keys: [String], tags: [SessionTag], location: FindingLocation?) -> [Finding] {
    let passed = Set(tags.map { $0.key.lowercased() })
    return keys.filter { !passed.contains($0.lowercased()) }.map { key in
      Finding(
        .transitiveTagNotPassed,
        "transitive tag key \"\(key)\" names no session tag that is passed; aws does not document the outcome",
        subject: key, location: location)
    }
  }

  private static func check(_ candidate: TagCandidate) -> [Finding] {
    var findings: [Finding] = []
    func add(_ code: FindingCode, _ message: String) {
      findings.append(Finding(code, message, subject: candidate.origin, location: candidate.location))
    }
    if candidate.values.count != 1 {
      add(
        .tagMultiValued,
        candidate.values.isEmpty
          ? "session tag \"\(candidate.key)\" has no value; sts needs exactly one"
          : "session tag \"\(candidate.key)\" has \(candidate.values.count) values; sts has no multi-valued session tags"
      )
    }
    let keyLength = CharacterRules.length(candidate.key)
    if keyLength == 0 {
      add(.tagKeyLength, "a session tag key is empty")
    } else if keyLength > maximumKeyLength {
      add(
        .tagKeyLength,
        "session tag key \"\(candidate.key)\" has \(keyLength) characters; the limit is \(maximumKeyLength)")
    }
    if let refused = CharacterRules.firstRefused(in: candidate.key, CharacterRules.isTagCharacter) {
      add(
        .tagCharacters,
        "session tag key \"\(candidate.key)\" contains \(CharacterRules.describe(refused)); allowed are letters, digits, spaces and _ . : / = + - @"
      )
    }
    if candidate.key.lowercased().hasPrefix(reservedPrefix) {
      add(.tagReservedPrefix, "session tag key \"\(candidate.key)\" starts with the reserved prefix aws:")
    }
    for value in candidate.values {
      let valueLength = CharacterRules.length(value)
      if valueLength > maximumValueLength {
        add(
          .tagValueLength,
          "the value of session tag \"\(candidate.key)\" has \(valueLength) characters; the limit is \(maximumValueLength)"
        )
      }
      if let refused = CharacterRules.firstRefused(in: value, CharacterRules.isTagCharacter) {
        add(
          .tagCharacters,
          "the value \"\(value)\" of session tag \"\(candidate.key)\" contains \(CharacterRules.describe(refused)); allowed are letters, digits, spaces and _ . : / = + - @"
        )
      }
      if value.lowercased().hasPrefix(reservedPrefix) {
        add(.tagReservedPrefix, "the value of session tag \"\(candidate.key)\" starts with the reserved prefix aws:")
      }
    }
    return findings
  }
}
