/// Where a service's requests go and which region signs them, as botocore's `endpoints.json` says for the
/// partitions iamsim knows (`aws`, `aws-cn`, `aws-us-gov`), or an endpoint URL that overrides everything.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
  /// `https`, or `http` for a local endpoint (moto).
  public var scheme: String
  public var host: String
  /// The port, when it is not the scheme's default.
  public var port: Int?
  /// A path prefix of an overriding endpoint URL (usually empty).
  public var basePath: String
  /// The region of the SigV4 credential scope.
  public var signingRegion: String

  public init(scheme: String, host: String, port: Int? = nil, basePath: String = "", signingRegion: String) {
    self.scheme = scheme
    self.host = host
    self.port = port
    self.basePath = basePath
    self.signingRegion = signingRegion
  }

  /// The `Host` header's value: the host, and the port when it is not the default.
  public var hostHeader: String { port.map { "\(host):\($0)" } ?? host }

  /// `scheme://host[:port][basePath]`.
  public var description: String { "\(scheme)://\(hostHeader)\(basePath)" }

  /// A partition: its DNS suffix and the region its global endpoints are signed for.
  public struct Partition: Sendable, Hashable {
    public var name: String
    public var dnsSuffix: String
    /// IAM's endpoint host and signing region.
    public var iam: (host: String, region: String) { Self.globals[name]!.iam }
    /// Organizations' endpoint host and signing region.
    public var organizations: (host: String, region: String) { Self.globals[name]!.organizations }

    public static func == (lhs: Partition, rhs: Partition) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// botocore `endpoints.json`: `iam` and `organizations` are not regionalized; each partition has one endpoint
    /// for each, with its credential scope.
    private static let globals: [String: (iam: (host: String, region: String), organizations: (host: String, region: String))] = [
      "aws": (("iam.amazonaws.com", "us-east-1"), ("organizations.us-east-1.amazonaws.com", "us-east-1")),
      "aws-cn": (("iam.cn-north-1.amazonaws.com.cn", "cn-north-1"), ("organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1")),
      "aws-us-gov": (("iam.us-gov.amazonaws.com", "us-gov-west-1"), ("organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1")),
    ]

    /// The partition of a region: `cn-*` is `aws-cn`, `us-gov-*` is `aws-us-gov`, every other region `aws`.
    public static func of(region: String) -> Partition {
      if region.hasPrefix("cn-") { return Partition(name: "aws-cn", dnsSuffix: "amazonaws.com.cn") }
      if region.hasPrefix("us-gov-") { return Partition(name: "aws-us-gov", dnsSuffix: "amazonaws.com") }
      return Partition(name: "aws", dnsSuffix: "amazonaws.com")
    }
  }

  /// Services whose regional endpoints are under `api.aws` rather than `amazonaws.com`: account access manager
  /// ("account-access.us-east-1.api.aws", AWS General Reference, Account access management endpoints and quotas).
  static let apiAWSServices: Set<String> = ["account-access"]

  /// The endpoint of `service` for a call in `region`.
  ///
  /// - Parameters:
  ///   - region: the call's region; for a global service, only its partition matters.
  ///   - override: an endpoint URL (`--endpoint-url`, `AWS_ENDPOINT_URL`) that replaces the host for every
  ///     service; requests to it are signed for the region the service would have been signed for.
  /// - Throws: ``AWSError`` (`InvalidEndpoint`) for an override that is not an `http(s)://host[:port][/path]` URL.
  public static func resolve(_ service: AWSService, region: String, override: String? = nil) throws(AWSError) -> Endpoint {
    let partition = Partition.of(region: region)
    var endpoint: Endpoint
    if service.isGlobal, service.endpointPrefix == "iam" {
      endpoint = Endpoint(scheme: "https", host: partition.iam.host, signingRegion: partition.iam.region)
    } else if service.isGlobal, service.endpointPrefix == "organizations" {
      endpoint = Endpoint(scheme: "https", host: partition.organizations.host, signingRegion: partition.organizations.region)
    } else if service.isGlobal {
      let home = partition.iam.region
      endpoint = Endpoint(scheme: "https", host: "\(service.endpointPrefix).\(home).\(partition.dnsSuffix)", signingRegion: home)
    } else if apiAWSServices.contains(service.endpointPrefix), partition.name == "aws" {
      endpoint = Endpoint(scheme: "https", host: "\(service.endpointPrefix).\(region).api.aws", signingRegion: region)
    } else {
      endpoint = Endpoint(scheme: "https", host: "\(service.endpointPrefix).\(region).\(partition.dnsSuffix)", signingRegion: region)
    }
    if let override {
      let parsed = try parse(override)
      endpoint.scheme = parsed.scheme
      endpoint.host = parsed.host
      endpoint.port = parsed.port
      endpoint.basePath = parsed.basePath
    }
    return endpoint
  }

  /// Splits `http(s)://host[:port][/path]`.
  static func parse(_ url: String) throws(AWSError) -> (scheme: String, host: String, port: Int?, basePath: String) {
    func invalid(_ why: String) -> AWSError {
      AWSError(code: "InvalidEndpoint", message: "the endpoint URL `\(url)` \(why)", operation: "endpoint")
    }
    guard let separator = url.range(of: "://") else { throw invalid("has no scheme (http:// or https://)") }
    let scheme = url[..<separator.lowerBound].lowercased()
    guard scheme == "http" || scheme == "https" else { throw invalid("is not http or https") }
    var rest = url[separator.upperBound...]
    var basePath = ""
    if let slash = rest.firstIndex(of: "/") {
      basePath = String(rest[slash...])
      rest = rest[..<slash]
    }
    while basePath.hasSuffix("/") { basePath.removeLast() }
    guard !rest.isEmpty, !rest.contains("@"), !basePath.contains("?") else { throw invalid("must be scheme://host[:port][/path]") }
    var host = String(rest)
    var port: Int?
    if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
      guard let number = Int(host[host.index(after: colon)...]), (1...65535).contains(number) else { throw invalid("has a bad port") }
      host = String(host[..<colon])
      port = number == (scheme == "https" ? 443 : 80) ? nil : number
    }
    guard !host.isEmpty else { throw invalid("has no host") }
    return (scheme, host.lowercased(), port, basePath)
  }
}
