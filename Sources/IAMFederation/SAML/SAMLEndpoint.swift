/// The AWS URLs that accept SAML responses, exactly as AWS documents them; any other URL is not addressed to AWS.
///
/// IAM (`AssumeRoleWithSAML` through AWS sign-in), IAM user guide, "Configure SAML assertions for the
/// authentication response": "The Recipient attribute must include a value that matches the AWS sign-in endpoint
/// URL." … "`https://region-code.signin.aws.amazon.com/saml`" … "the sign-in URL contains a unique identifier that
/// requires /acs/ be appended to the sign-in path. `https://region-code.signin.aws.amazon.com/saml/acs/IdP-ID`" …
/// "For a list of possible region-code values, see the Region column in AWS Sign-In endpoints. For the AWS value,
/// you can also use the global sign-in endpoint `https://signin.aws.amazon.com/saml`." The China user guide gives
/// `https://signin.amazonaws.cn/saml` and `https://region-code.signin.amazonaws.cn/…`. AWS GovCloud (US) is not in
/// those pages; its global endpoint `https://signin.amazonaws-us-gov.com/saml` is the one AWS's own CDK
/// (`SamlConsolePrincipal`) uses, and no GovCloud regional form is accepted (none is documented).
///
/// In the AWS Sign-In endpoints table, US East (N. Virginia) is `signin.aws.amazon.com` itself, so
/// `us-east-1.signin.aws.amazon.com/saml` is not listed and is not accepted.
///
/// IAM Identity Center, user guide "Workforce access through an additional Region", table of Assertion Consumer
/// Service (ACS) endpoints: `https://[Region].signin.aws/platform/saml/acs/[Tenant ID]`,
/// `https://[Region].signin.aws.amazon.com/platform/saml/acs/[Tenant ID]` (instances enabled before February 2026)
/// and `https://[Region].sso.signin.aws/platform/saml/acs/[Tenant ID]` (dual-stack).
public struct SAMLEndpoint: Sendable, Hashable {
  /// Which AWS service consumes responses posted to the URL.
  public enum Kind: String, Sendable, Hashable {
    /// AWS sign-in's SAML endpoint: `AssumeRoleWithSAML` into the role the `Role` attribute names.
    case iam
    /// An IAM Identity Center instance's ACS URL.
    case identityCenter
  }

  /// Which service consumes the response.
  public var kind: Kind
  /// The AWS partition: `aws`, `aws-cn` or `aws-us-gov`.
  public var partition: String
  /// The Region in the host name, or `nil` for a global endpoint.
  public var region: String?

  /// How a URL was judged.
  public enum Classification: Sendable, Hashable {
    /// The URL is a documented AWS endpoint.
    case aws(SAMLEndpoint)
    /// The URL is not; the text says why, in lower case.
    case notAWS(String)
  }

  /// Classifies a `Recipient` or `Destination` URL. Host names compare without regard to case (DNS); the scheme
  /// must be `https` and the path must match exactly, with no port, user, query or fragment.
  public static func classify(_ url: String) -> Classification {
    let schemeEnd = url.range(of: "://")
    guard let schemeEnd, url[..<schemeEnd.lowerBound].lowercased() == "https" else {
      return .notAWS("it is not an https url")
    }
    let rest = url[schemeEnd.upperBound...]
    let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
    let path = String(rest.dropFirst(authority.count))
    if authority.contains("@") || authority.contains(":") {
      return .notAWS("its host part \(authority) carries a user or a port, which no aws endpoint url has")
    }
    if path.contains("?") || path.contains("#") {
      return .notAWS("it has a query or fragment, which no aws endpoint url has")
    }
    let host = authority.lowercased()
    guard let parsed = host.isEmpty ? nil : Self.host(host) else {
      return .notAWS("\(host.isEmpty ? "its host" : host) is not an aws sign-in host")
    }
    if let region = parsed.region, !(AWSRegions.byPartition[parsed.partition] ?? []).contains(region) {
      return .notAWS(
        "\(region) in \(host) is not a region of the \(parsed.partition) partition that iamsim knows (\(AWSRegions.source)); if aws has opened it since, this answer is out of date"
      )
    }
    if parsed.allowsIAM, path == "/saml" || hasIdentifier(path, after: "/saml/acs/") {
      if parsed.partition == "aws" && parsed.region == "us-east-1" {
        return .notAWS(
          "us-east-1's sign-in endpoint is signin.aws.amazon.com (aws sign-in endpoints table); us-east-1.signin.aws.amazon.com is not listed"
        )
      }
      return .aws(SAMLEndpoint(kind: .iam, partition: parsed.partition, region: parsed.region))
    }
    if parsed.allowsIdentityCenter, parsed.region != nil, hasIdentifier(path, after: "/platform/saml/acs/") {
      return .aws(SAMLEndpoint(kind: .identityCenter, partition: parsed.partition, region: parsed.region))
    }
    let expected = [
      parsed.allowsIAM ? "/saml or /saml/acs/<idp id>" : nil,
      parsed.allowsIdentityCenter && parsed.region != nil ? "/platform/saml/acs/<tenant id>" : nil,
    ].compactMap { $0 }.joined(separator: " or ")
    return .notAWS("the path \(path.isEmpty ? "(empty)" : path) on \(host) is not an aws saml endpoint (\(expected))")
  }

  private struct Host {
    var partition: String
    var region: String?
    var allowsIAM: Bool
    var allowsIdentityCenter: Bool
  }

  /// The documented sign-in hosts: global, `<region>.` prefixed, and Identity Center's `signin.aws` hosts.
  private static func host(_ host: String) -> Host? {
    let families: [(suffix: String, partition: String, global: Bool, regional: Bool, identityCenter: Bool)] = [
      ("signin.aws.amazon.com", "aws", true, true, true),
      ("signin.amazonaws.cn", "aws-cn", true, true, false),
      ("signin.amazonaws-us-gov.com", "aws-us-gov", true, false, false),
    ]
    for family in families {
      if host == family.suffix {
        return family.global
          ? Host(partition: family.partition, region: nil, allowsIAM: true, allowsIdentityCenter: false) : nil
      }
      if host.hasSuffix("." + family.suffix) {
        let region = String(host.dropLast(family.suffix.count + 1))
        guard family.regional, !region.contains(".") else { return nil }
        return Host(
          partition: family.partition, region: region, allowsIAM: true, allowsIdentityCenter: family.identityCenter)
      }
    }
    for suffix in [".sso.signin.aws", ".signin.aws"] where host.hasSuffix(suffix) {
      let region = String(host.dropLast(suffix.count))
      guard !region.contains(".") else { return nil }
      return Host(partition: "aws", region: region, allowsIAM: false, allowsIdentityCenter: true)
    }
    return nil
  }

  /// Whether `path` is `prefix` followed by one non-empty identifier of letters, digits, `-` and `_`.
  private static func hasIdentifier(_ path: String, after prefix: String) -> Bool {
    guard path.hasPrefix(prefix) else { return false }
    let identifier = path.dropFirst(prefix.count)
    return !identifier.isEmpty
      && identifier.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
  }
}

/// The AWS Regions whose names may appear in a sign-in host.
enum AWSRegions {
  /// Where the list comes from.
  static let source = "regions of the aws, aws-cn and aws-us-gov partitions in botocore 1.44.18's endpoints.json"

  /// Regions of the `aws`, `aws-cn` and `aws-us-gov` partitions (botocore 1.44.18, `data/endpoints.json`).
  static let byPartition: [String: Set<String>] = [
    "aws": [
      "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
      "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
      "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1",
      "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1",
      "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    ],
    "aws-cn": ["cn-north-1", "cn-northwest-1"],
    "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
  ]
}
