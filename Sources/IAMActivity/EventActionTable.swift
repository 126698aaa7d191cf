/// The exceptions to "the IAM action of a CloudTrail event is `PREFIX:eventName`", kept as data with their sources.
///
/// Everything else is derived from the shipped catalog by ``EventActionResolver``: the service prefix is the event
/// source's first label, and the event name is the action's name (ignoring case), or becomes it once an API version
/// suffix is removed. An entry here is needed only where that derivation is wrong or cannot decide. The rules and
/// the sources are described in Documentation/CloudTrailMapping.md; the table is checked against the catalog by
/// the tests (every action named here is a catalog action).
public enum EventActionTable {
  /// A document an entry rests on.
  public enum Reference: String, Sendable, Hashable, CaseIterable {
    case s3Permissions
    case s3CloudTrailEvents
    case lambdaCloudTrail
    case stsGetCallerIdentity
    case iamGetSessionToken
    case stsAssumeRoleWithSAML
    case stsAssumeRoleWithWebIdentity
    case consoleSignInEvents
    case cloudTrailRecordContents
    case cloudWatchPrefix
    case sesPrefix
    case taggingPrefix
    case cloudControlPrefix
    case secretsManagerBatchGetSecretValue
    case lambdaLayers

    /// The document's title and address.
    public var citation: String {
      switch self {
      case .s3Permissions:
        "Amazon S3 User Guide, Required permissions for Amazon S3 API operations, https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html"
      case .s3CloudTrailEvents:
        "Amazon S3 User Guide, Amazon S3 CloudTrail events, https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html"
      case .lambdaCloudTrail:
        "AWS Lambda Developer Guide, Logging AWS Lambda API calls using AWS CloudTrail (data events: Invoke), https://docs.aws.amazon.com/lambda/latest/dg/logging-using-cloudtrail.html"
      case .stsGetCallerIdentity:
        "AWS STS API Reference, GetCallerIdentity (\"No permissions are required to perform this operation\"), https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html"
      case .iamGetSessionToken:
        "IAM User Guide, Permissions for GetSessionToken (\"No permissions are required for a user to get a session token\"), https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html"
      case .stsAssumeRoleWithSAML:
        "AWS STS API Reference, AssumeRoleWithSAML (called without AWS credentials; the role's trust policy decides), https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html"
      case .stsAssumeRoleWithWebIdentity:
        "AWS STS API Reference, AssumeRoleWithWebIdentity (called without AWS credentials; the role's trust policy decides), https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html"
      case .consoleSignInEvents:
        "AWS CloudTrail User Guide, AWS Management Console sign-in events, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html"
      case .cloudTrailRecordContents:
        "AWS CloudTrail User Guide, CloudTrail record contents (eventType), https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html"
      case .cloudWatchPrefix:
        "Service Authorization Reference, Amazon CloudWatch (service prefix: cloudwatch); its API endpoint and event source are monitoring.amazonaws.com"
      case .sesPrefix:
        "Service Authorization Reference, Amazon SES (service prefix: ses); its v1 API endpoint and event source are email.amazonaws.com"
      case .taggingPrefix:
        "Service Authorization Reference, Resource Groups Tagging API (service prefix: tag); its event source is tagging.amazonaws.com"
      case .secretsManagerBatchGetSecretValue:
        "AWS Secrets Manager API Reference, BatchGetSecretValue (\"Required permissions: secretsmanager:BatchGetSecretValue, and you must have secretsmanager:GetSecretValue for each secret. If you use filters, you must also have secretsmanager:ListSecrets\"), https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html"
      case .lambdaLayers:
        "AWS Lambda Developer Guide, Adding layers to functions and Granting users access to a Lambda layer (a function's layers are read with lambda:GetLayerVersion), https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html"
      case .cloudControlPrefix:
        "AWS Cloud Control API User Guide, Cloud Control API actions are authorized as cloudformation:CreateResource and so on; its event source is cloudcontrolapi.amazonaws.com"
      }
    }
  }

  /// What an event needs from the caller's policies.
  public enum Outcome: Sendable, Hashable {
    /// These IAM actions, every one required.
    case actions([String])
    /// Nothing from the caller's own identity policies, for the reason given.
    case noPermission(String)
  }

  /// One exception.
  public struct Entry: Sendable, Hashable {
    /// The event source, such as `s3.amazonaws.com`.
    public let eventSource: String
    /// The event name.
    public let eventName: String
    /// What the event needs.
    public let outcome: Outcome
    /// When the request has this top-level parameter, these actions replace the outcome's (`versionId` makes an S3
    /// object call need the `…Version` action).
    public let whenParameter: (name: String, actions: [String])?
    /// Actions the call may also need, depending on request content CloudTrail does not record.
    public let mayAlsoNeed: [String]
    /// When set, ``mayAlsoNeed`` applies only to requests with this top-level parameter.
    public let mayAlsoNeedWhen: String?
    /// Where this comes from.
    public let reference: Reference

    init(
      _ eventSource: String, _ eventName: String, _ outcome: Outcome, whenParameter: (String, [String])? = nil,
      mayAlsoNeed: [String] = [], when mayAlsoNeedWhen: String? = nil, _ reference: Reference
    ) {
      self.eventSource = eventSource
      self.eventName = eventName
      self.outcome = outcome
      self.whenParameter = whenParameter.map { (name: $0.0, actions: $0.1) }
      self.mayAlsoNeed = mayAlsoNeed
      self.mayAlsoNeedWhen = mayAlsoNeedWhen
      self.reference = reference
    }

    public static func == (lhs: Entry, rhs: Entry) -> Bool {
      lhs.eventSource == rhs.eventSource && lhs.eventName == rhs.eventName && lhs.outcome == rhs.outcome
        && lhs.whenParameter?.name == rhs.whenParameter?.name && lhs.whenParameter?.actions == rhs.whenParameter?.actions
        && lhs.mayAlsoNeed == rhs.mayAlsoNeed && lhs.mayAlsoNeedWhen == rhs.mayAlsoNeedWhen && lhs.reference == rhs.reference
    }

    public func hash(into hasher: inout Hasher) {
      hasher.combine(eventSource)
      hasher.combine(eventName)
    }
  }

  /// Event sources whose first label is not the IAM service prefix.
  public static let servicePrefixes: [(eventSource: String, prefix: String, reference: Reference)] = [
    ("monitoring.amazonaws.com", "cloudwatch", .cloudWatchPrefix),
    ("email.amazonaws.com", "ses", .sesPrefix),
    ("tagging.amazonaws.com", "tag", .taggingPrefix),
    ("cloudcontrolapi.amazonaws.com", "cloudformation", .cloudControlPrefix),
  ]

  /// The exceptions, by event source and event name.
  public static let entries: [Entry] = s3 + lambda + secretsManager + sts + signIn

  private static let s3Source = "s3.amazonaws.com"

  /// S3 operations whose permission has another name. CloudTrail records an S3 call under its API operation's name
  /// (older names such as `GetBucketLifecycle` for some bucket configuration calls); the S3 User Guide maps each
  /// operation to the permissions it needs.
  private static let s3: [Entry] = {
    func bucket(_ name: String, _ action: String) -> Entry {
      Entry(s3Source, name, .actions(["s3:" + action]), .s3Permissions)
    }
    func object(_ name: String, _ action: String, version: String? = nil, mayAlsoNeed: [String] = []) -> Entry {
      Entry(s3Source, name, .actions(["s3:" + action]), whenParameter: version.map { ("versionId", ["s3:" + $0]) },
            mayAlsoNeed: mayAlsoNeed, .s3Permissions)
    }
    return [
      // Listing.
      bucket("ListBuckets", "ListAllMyBuckets"),
      bucket("ListObjects", "ListBucket"),
      bucket("ListObjectsV2", "ListBucket"),
      bucket("HeadBucket", "ListBucket"),
      bucket("ListObjectVersions", "ListBucketVersions"),
      bucket("ListMultipartUploads", "ListBucketMultipartUploads"),
      object("ListParts", "ListMultipartUploadParts"),
      // Bucket configuration read and written under another permission's name; deleting a configuration needs the
      // permission that writes it.
      bucket("GetBucketAccelerateConfiguration", "GetAccelerateConfiguration"),
      bucket("PutBucketAccelerateConfiguration", "PutAccelerateConfiguration"),
      bucket("GetBucketAnalyticsConfiguration", "GetAnalyticsConfiguration"),
      bucket("ListBucketAnalyticsConfigurations", "GetAnalyticsConfiguration"),
      bucket("PutBucketAnalyticsConfiguration", "PutAnalyticsConfiguration"),
      bucket("DeleteBucketAnalyticsConfiguration", "PutAnalyticsConfiguration"),
      bucket("DeleteBucketCors", "PutBucketCORS"),
      bucket("GetBucketEncryption", "GetEncryptionConfiguration"),
      bucket("PutBucketEncryption", "PutEncryptionConfiguration"),
      bucket("DeleteBucketEncryption", "PutEncryptionConfiguration"),
      bucket("GetBucketIntelligentTieringConfiguration", "GetIntelligentTieringConfiguration"),
      bucket("ListBucketIntelligentTieringConfigurations", "GetIntelligentTieringConfiguration"),
      bucket("PutBucketIntelligentTieringConfiguration", "PutIntelligentTieringConfiguration"),
      bucket("DeleteBucketIntelligentTieringConfiguration", "PutIntelligentTieringConfiguration"),
      bucket("GetBucketInventoryConfiguration", "GetInventoryConfiguration"),
      bucket("ListBucketInventoryConfigurations", "GetInventoryConfiguration"),
      bucket("PutBucketInventoryConfiguration", "PutInventoryConfiguration"),
      bucket("DeleteBucketInventoryConfiguration", "PutInventoryConfiguration"),
      bucket("GetBucketLifecycle", "GetLifecycleConfiguration"),
      bucket("GetBucketLifecycleConfiguration", "GetLifecycleConfiguration"),
      bucket("PutBucketLifecycle", "PutLifecycleConfiguration"),
      bucket("PutBucketLifecycleConfiguration", "PutLifecycleConfiguration"),
      bucket("DeleteBucketLifecycle", "PutLifecycleConfiguration"),
      bucket("GetBucketMetricsConfiguration", "GetMetricsConfiguration"),
      bucket("ListBucketMetricsConfigurations", "GetMetricsConfiguration"),
      bucket("PutBucketMetricsConfiguration", "PutMetricsConfiguration"),
      bucket("DeleteBucketMetricsConfiguration", "PutMetricsConfiguration"),
      bucket("GetBucketNotificationConfiguration", "GetBucketNotification"),
      bucket("PutBucketNotificationConfiguration", "PutBucketNotification"),
      bucket("DeleteBucketOwnershipControls", "PutBucketOwnershipControls"),
      bucket("DeleteBucketPublicAccessBlock", "PutBucketPublicAccessBlock"),
      bucket("GetBucketReplication", "GetReplicationConfiguration"),
      bucket("PutBucketReplication", "PutReplicationConfiguration"),
      bucket("DeleteBucketReplication", "PutReplicationConfiguration"),
      bucket("GetBucketRequestPay", "GetBucketRequestPayment"),
      bucket("PutBucketRequestPay", "PutBucketRequestPayment"),
      bucket("DeleteBucketTagging", "PutBucketTagging"),
      bucket("GetObjectLockConfiguration", "GetBucketObjectLockConfiguration"),
      bucket("PutObjectLockConfiguration", "PutBucketObjectLockConfiguration"),
      bucket("DeleteAccountPublicAccessBlock", "PutAccountPublicAccessBlock"),
      // Objects. A `versionId` parameter makes the call act on one version, which needs the `…Version` permission.
      object("GetObject", "GetObject", version: "GetObjectVersion"),
      object("HeadObject", "GetObject", version: "GetObjectVersion"),
      object("SelectObjectContent", "GetObject"),
      object("DeleteObject", "DeleteObject", version: "DeleteObjectVersion"),
      // DeleteObjects names its keys (and any versions) in a request body CloudTrail does not record.
      object("DeleteObjects", "DeleteObject", mayAlsoNeed: ["s3:DeleteObjectVersion"]),
      object("GetObjectAcl", "GetObjectAcl", version: "GetObjectVersionAcl"),
      object("PutObjectAcl", "PutObjectAcl", version: "PutObjectVersionAcl"),
      object("GetObjectTagging", "GetObjectTagging", version: "GetObjectVersionTagging"),
      object("PutObjectTagging", "PutObjectTagging", version: "PutObjectVersionTagging"),
      object("DeleteObjectTagging", "DeleteObjectTagging", version: "DeleteObjectVersionTagging"),
      object("CreateMultipartUpload", "PutObject"),
      object("UploadPart", "PutObject"),
      object("CompleteMultipartUpload", "PutObject"),
      // A copy reads its source (a specific version when the copy source names one, which CloudTrail keeps in a
      // header it does not always record) and writes its target.
      Entry(s3Source, "CopyObject", .actions(["s3:PutObject", "s3:GetObject"]), mayAlsoNeed: ["s3:GetObjectVersion"],
            .s3Permissions),
      Entry(s3Source, "UploadPartCopy", .actions(["s3:PutObject", "s3:GetObject"]), mayAlsoNeed: ["s3:GetObjectVersion"],
            .s3Permissions),
    ]
  }()

  /// Lambda: versioned management event names are derived (see ``EventActionResolver``; an entry here names the
  /// operation without its version); the data event `Invoke` is the `lambda:InvokeFunction` permission. A function
  /// given layers reads them, which `lambda:GetLayerVersion` authorizes.
  private static let lambda: [Entry] = [
    Entry("lambda.amazonaws.com", "Invoke", .actions(["lambda:InvokeFunction"]), .lambdaCloudTrail),
    Entry("lambda.amazonaws.com", "CreateFunction", .actions(["lambda:CreateFunction"]),
          mayAlsoNeed: ["lambda:GetLayerVersion"], when: "layers", .lambdaLayers),
    Entry("lambda.amazonaws.com", "UpdateFunctionConfiguration", .actions(["lambda:UpdateFunctionConfiguration"]),
          mayAlsoNeed: ["lambda:GetLayerVersion"], when: "layers", .lambdaLayers),
  ]

  /// Secrets Manager's batch read needs the single read on every secret, and the list when it filters.
  private static let secretsManager: [Entry] = [
    Entry("secretsmanager.amazonaws.com", "BatchGetSecretValue",
          .actions(["secretsmanager:BatchGetSecretValue", "secretsmanager:GetSecretValue"]),
          whenParameter: ("filters", ["secretsmanager:BatchGetSecretValue", "secretsmanager:GetSecretValue",
                                      "secretsmanager:ListSecrets"]),
          .secretsManagerBatchGetSecretValue)
  ]

  /// STS calls whose authorization is not the caller's identity policies.
  private static let sts: [Entry] = [
    Entry("sts.amazonaws.com", "GetCallerIdentity",
          .noPermission("needs no permission: AWS answers it even when a policy denies sts:GetCallerIdentity"),
          .stsGetCallerIdentity),
    Entry("sts.amazonaws.com", "GetSessionToken",
          .noPermission("needs no permission: policies cannot control this authentication call"), .iamGetSessionToken),
    Entry("sts.amazonaws.com", "AssumeRoleWithSAML",
          .noPermission("made without AWS credentials: the role's trust policy decides, not the caller's policies"),
          .stsAssumeRoleWithSAML),
    Entry("sts.amazonaws.com", "AssumeRoleWithWebIdentity",
          .noPermission("made without AWS credentials: the role's trust policy decides, not the caller's policies"),
          .stsAssumeRoleWithWebIdentity),
  ]

  /// Console sign-in events record authentication, which no IAM action authorizes.
  private static let signIn: [Entry] = [
    "ConsoleLogin", "CheckMfa", "CredentialChallenge", "CredentialVerification", "SwitchRole", "ExitRole", "RenewRole",
    "UserAuthentication",
  ].map {
    Entry("signin.amazonaws.com", $0, .noPermission("a console sign-in event: authentication, which no IAM action authorizes"),
          .consoleSignInEvents)
  }

  /// The entry for an event source and name, matched exactly (CloudTrail's names are case-sensitive).
  static let index: [String: Entry] = {
    var index: [String: Entry] = [:]
    for entry in entries { index[entry.eventSource + " " + entry.eventName] = entry }
    return index
  }()
}
