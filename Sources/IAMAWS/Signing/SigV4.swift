import IAMCompression

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`), as the SigV4 documentation and AWS's test suite define it: the
/// canonical request, the string to sign, the signing key and the `Authorization` header. Paths are normalized
/// (dot segments and repeated slashes removed) and percent-encoded once more, as every service but S3 expects.
public enum SigV4 {
  /// The algorithm's name, first in the string to sign and in `Authorization`.
  public static let algorithm = "AWS4-HMAC-SHA256"

  /// Signs a request: returns its headers with `X-Amz-Date`, `X-Amz-Security-Token` (for temporary credentials)
  /// and `Authorization` added (any earlier values of those replaced).
  ///
  /// - Parameters:
  ///   - request: the request; its headers must include `Host`.
  ///   - credentials: the keys to sign with.
  ///   - region: the region of the credential scope (`us-east-1` for IAM).
  ///   - service: the service's signing name (`iam`, `organizations`, `sso`, …).
  ///   - date: the signing time.
  public static func sign(_ request: SigV4Request, credentials: AWSCredentials, region: String, service: String,
                          date: UTCTime) -> [SigV4Request.Header] {
    var signed = request
    let replaced: Set<String> = ["x-amz-date", "x-amz-security-token", "authorization"]
    signed.headers.removeAll { replaced.contains($0.name.lowercased()) }
    signed.headers.append(.init("X-Amz-Date", date.amzDate))
    if let token = credentials.sessionToken { signed.headers.append(.init("X-Amz-Security-Token", token)) }
    let authorization = self.authorization(signed, credentials: credentials, region: region, service: service, date: date)
    return signed.headers + [.init("Authorization", authorization)]
  }

  /// The `Authorization` header's value for a request whose headers already hold `X-Amz-Date` (and the
  /// security token, when there is one).
  public static func authorization(_ request: SigV4Request, credentials: AWSCredentials, region: String, service: String,
                                   date: UTCTime) -> String {
    let scope = self.scope(date: date, region: region, service: service)
    let toSign = stringToSign(canonicalRequest(request), date: date, scope: scope)
    let key = signingKey(secretAccessKey: credentials.secretAccessKey, date: date, region: region, service: service)
    let signature = Hex.string(HMAC.sha256(key: key, toSign))
    return "\(algorithm) Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders(request)), Signature=\(signature)"
  }

  /// `DATE/REGION/SERVICE/aws4_request`.
  public static func scope(date: UTCTime, region: String, service: String) -> String {
    "\(date.dateStamp)/\(region)/\(service)/aws4_request"
  }

  /// The canonical request: method, canonical URI, canonical query, canonical headers, signed headers and the
  /// payload's SHA-256, one per line.
  public static func canonicalRequest(_ request: SigV4Request) -> String {
    [
      request.method.uppercased(),
      canonicalURI(request.path),
      canonicalQuery(request.query),
      canonicalHeaders(request),
      signedHeaders(request),
      SHA256.hex(request.body),
    ].joined(separator: "\n")
  }

  /// The string to sign: algorithm, time, scope and the canonical request's SHA-256.
  public static func stringToSign(_ canonicalRequest: String, date: UTCTime, scope: String) -> String {
    [algorithm, date.amzDate, scope, SHA256.hex(Array(canonicalRequest.utf8))].joined(separator: "\n")
  }

  /// The signing key: the secret key HMAC-chained through the date, region, service and `aws4_request`.
  public static func signingKey(secretAccessKey: String, date: UTCTime, region: String, service: String) -> [UInt8] {
    var key = Array(("AWS4" + secretAccessKey).utf8)
    for part in [date.dateStamp, region, service, "aws4_request"] { key = HMAC.sha256(key: key, part) }
    return key
  }

  /// The path with dot segments and repeated slashes removed (a trailing slash kept), percent-encoded: every byte
  /// but the unreserved ones and `/`, so that an already encoded path is encoded twice.
  static func canonicalURI(_ path: String) -> String {
    guard !path.isEmpty else { return "/" }
    var segments: [Substring] = []
    for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
      if segment == ".." {
        if !segments.isEmpty { segments.removeLast() }
      } else {
        segments.append(segment)
      }
    }
    var normalized = (path.hasPrefix("/") ? "/" : "") + segments.joined(separator: "/")
    if path.hasSuffix("/"), !segments.isEmpty { normalized += "/" }
    return Percent.encode(normalized, keeping: "/")
  }

  /// The query's parameters decoded, encoded again strictly, sorted by name then value.
  static func canonicalQuery(_ query: String) -> String {
    guard !query.isEmpty else { return "" }
    let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { item -> (String, String) in
      let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = Percent.encode(Percent.decode(String(parts[0])))
      let value = parts.count > 1 ? Percent.encode(Percent.decode(String(parts[1]))) : ""
      return (name, value)
    }
    return pairs.sorted { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
      .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
  }

  /// `name:value` lines, names lower-cased and sorted, values trimmed with inner runs of spaces made one, the
  /// values of a repeated name joined with commas; then an empty line.
  static func canonicalHeaders(_ request: SigV4Request) -> String {
    grouped(request).map { "\($0.name):\($0.values.joined(separator: ","))\n" }.joined()
  }

  /// The signed headers' lower-case names, sorted, joined with `;`.
  static func signedHeaders(_ request: SigV4Request) -> String {
    grouped(request).map(\.name).joined(separator: ";")
  }

  private static func grouped(_ request: SigV4Request) -> [(name: String, values: [String])] {
    var order: [String] = []
    var values: [String: [String]] = [:]
    for header in request.headers {
      let name = header.name.lowercased()
      if values[name] == nil { order.append(name) }
      values[name, default: []].append(trimmed(header.value))
    }
    return order.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { ($0, values[$0]!) }
  }

  private static func trimmed(_ value: String) -> String {
    value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
  }
}
