// S3's definition of a "public" bucket policy, which S3 Block Public Access's RestrictPublicBuckets acts on.
//
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html ("The meaning of
// public"): "When evaluating a bucket policy, Amazon S3 begins by assuming that the policy is public. It then
// evaluates the policy to determine whether it qualifies as non-public. To be considered non-public, a bucket policy
// must grant access only to fixed values (values that don't contain a wildcard or an AWS Identity and Access
// Management Policy Variable) for one or more of the following": an AWS principal, user, role or service principal
// (e.g. aws:PrincipalOrgID), a set of CIDRs using aws:SourceIp, aws:SourceArn, aws:SourceVpc, aws:SourceVpce,
// aws:SourceOwner, aws:SourceAccount, s3:x-amz-server-side-encryption-aws-kms-key-id, aws:userid, s3:DataAccessPointArn,
// s3:DataAccessPointAccount; and "Bucket policies that grant access conditioned on the aws:SourceIp condition key with
// very broad IP ranges (for example, 0.0.0.0/1) are evaluated as "public." This includes values broader than /8 for
// IPv4 and /32 for IPv6 (excluding RFC1918 private ranges)."
//
// Where AWS says nothing (negated operators, `…IfExists`, set operators, `NotPrincipal`, keys it does not list such as
// aws:PrincipalAccount), a statement counts as public: RestrictPublicBuckets then blocks more, never less.

extension Statement {
  /// Whether this statement grants public access in S3's sense: an Allow that names everyone (`"*"`) and fixes none
  /// of the keys AWS lists to fixed values. A Deny grants nothing, so it is never public.
  public var grantsPublicAccess: Bool {
    guard effect == .allow else { return false }
    guard let principal, !principal.isNegated else { return true }
    guard principal.values.contains(.anyone) else { return false }
    return !conditions.contains(where: \.fixesNonPublicKey)
  }
}

extension PolicyDocument {
  /// Whether the policy is public in S3's sense: one public statement makes the whole policy public.
  public var isPublic: Bool { statements.contains(where: \.grantsPublicAccess) }
}

extension Condition {
  /// The keys that make a grant non-public when fixed (lower-cased).
  static let nonPublicKeys: Set<String> = [
    "aws:principalorgid", "aws:sourceip", "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner",
    "aws:sourceaccount", "s3:x-amz-server-side-encryption-aws-kms-key-id", "aws:userid", "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
  ]

  /// Whether this condition restricts a grant to fixed values of a key AWS lists: a positive, single-valued
  /// comparison whose every value has no wildcard and no policy variable (and, for `aws:SourceIp`, no range
  /// broader than /8 for IPv4 or /32 for IPv6).
  var fixesNonPublicKey: Bool {
    guard Condition.nonPublicKeys.contains(lookupKey), !values.isEmpty, unusableReason == nil,
      conditionOperator.qualifier == nil, !conditionOperator.ifExists
    else { return false }
    switch conditionOperator.base {
    case .ipAddress:
      guard lookupKey == "aws:sourceip" else { return false }
      return values.allSatisfy { value in
        guard case .ipRange(let range) = value.parsed else { return false }
        return range.prefixLength >= (range.isIPv6 ? 32 : 8)
      }
    case .stringEquals, .stringEqualsIgnoreCase, .arnEquals, .stringLike, .arnLike:
      guard lookupKey != "aws:sourceip" else { return false }
      return values.allSatisfy { value in
        !value.text.contains("*") && !value.text.contains("?") && !value.text.contains("${")
      }
    default:
      return false
    }
  }
}
