import IAMPolicy

/// A decision to accept a finding for a subject until a date.
///
/// A suppressions file is a JSON array of these, or an object whose `suppressions` member is one:
///
/// ```json
/// [{"code": "data-exfiltration", "principal": "DatabaseAdministrator",
///   "reason": "DBAs restore dumps from S3; reviewed in SEC-123", "expires": "2026-12-31"}]
/// ```
///
/// `code` is a finding code, or a family (`privilege-escalation`) for every code of it, or `*`. `principal` is a
/// permission-set name, a subject name (`NAME@ACCOUNT`, or the name of the policies audited), or `*`. The
/// suppression holds up to and including its `expires` day; after that, the finding shows again, and so does a
/// `suppression.expired` finding about the suppression.
public struct Suppression: Sendable, Hashable {
  public var code: String
  public var principal: String
  public var reason: String
  /// The last day the suppression holds, `YYYY-MM-DD`.
  public var expires: String
  /// Where it was read from, for messages.
  public var location: String

  /// Creates a suppression.
  public init(code: String, principal: String, reason: String, expires: String, location: String = "") {
    self.code = code
    self.principal = principal
    self.reason = reason
    self.expires = expires
    self.location = location
  }

  /// Whether it is about this finding of this subject.
  public func matches(_ finding: AuditFinding, subjectNames: [String]) -> Bool {
    let codeMatches = code == "*" || code == finding.code || code == finding.family
    let principalMatches = principal == "*" || subjectNames.contains { $0.lowercased() == principal.lowercased() }
    return codeMatches && principalMatches
  }

  /// Whether it has expired on `today` (`YYYY-MM-DD`): it holds through its `expires` day.
  public func hasExpired(today: String) -> Bool {
    expires < today
  }

  /// Reads a suppressions file.
  ///
  /// - Throws: ``InputError`` naming the JSON path of a malformed entry.
  public static func read(_ json: JSONValue, file: String) throws(InputError) -> [Suppression] {
    var path = JSONPath.root
    var list = json
    if json.members != nil {
      guard let inner = json["suppressions"] else {
        throw InputError(
          "suppressions.malformed", "a suppressions file is an array, or an object with a `suppressions` array",
          file: file, position: json.position)
      }
      list = inner
      path = path.appending("suppressions")
    }
    guard let elements = list.elements else {
      throw InputError(
        "suppressions.malformed", "`suppressions` must be an array", file: file, path: path, position: list.position)
    }
    var result: [Suppression] = []
    for (offset, element) in elements.enumerated() {
      let at = path.appending(offset)
      func text(_ key: String) throws(InputError) -> String {
        guard let value = element[key]?.stringValue, !value.isEmpty else {
          throw InputError(
            "suppressions.malformed", "a suppression needs a non-empty string `\(key)`", file: file,
            path: at, position: element.position)
        }
        return value
      }
      let expires = try text("expires")
      guard isValidDate(expires) else {
        throw InputError(
          "suppressions.malformed", "`expires` must be a date YYYY-MM-DD, not `\(expires)`", file: file,
          path: at.appending("expires"), position: element["expires"]?.position)
      }
      result.append(
        Suppression(
          code: try text("code"), principal: try text("principal"), reason: try text("reason"), expires: expires,
          location: "\(file) \(at)"))
    }
    return result
  }

  /// Whether the text is a calendar date `YYYY-MM-DD`.
  public static func isValidDate(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), (1...31).contains(day)
    else { return false }
    return true
  }
}

extension AuditReport {
  /// The report with the findings that an unexpired suppression covers moved to ``suppressed``, and a
  /// `suppression.expired` finding for every expired suppression about this subject (or about `*`).
  ///
  /// - Parameter today: the date to compare expiry dates with, `YYYY-MM-DD`.
  public func applying(_ suppressions: [Suppression], today: String) -> AuditReport {
    var result = self
    result.findings = []
    result.suppressed = suppressed
    let names = subject.names
    for finding in findings {
      if let active = suppressions.first(where: {
        $0.matches(finding, subjectNames: names) && !$0.hasExpired(today: today)
      }) {
        result.suppressed.append((finding, active))
      } else {
        result.findings.append(finding)
      }
    }
    for expired in suppressions where expired.hasExpired(today: today) {
      guard expired.principal == "*" || names.contains(where: { $0.lowercased() == expired.principal.lowercased() })
      else { continue }
      let covered = findings.contains { expired.matches($0, subjectNames: names) }
      result.findings.append(
        AuditFinding(
          code: "suppression.expired", severity: .warning, subject: subject.name,
          message:
            "the suppression of `\(expired.code)` for `\(expired.principal)` expired on \(expired.expires) (\(expired.reason))"
            + (covered ? "; its finding is reported again" : "; it no longer matches a finding and can be removed"),
          details: [expired.location]))
    }
    return result
  }
}
