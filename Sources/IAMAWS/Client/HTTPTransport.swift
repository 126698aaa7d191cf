import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Why a request got no HTTP response.
struct TransportFailure: Error, Sendable {
  var message: String
  /// Whether trying again may work (a dropped connection, a timeout), as opposed to a bad URL or a refused
  /// certificate.
  var isRetryable: Bool
}

/// Sends HTTP requests.
protocol HTTPTransport: Sendable {
  func send(method: String, url: String, headers: [SigV4Request.Header], body: [UInt8]) async throws(TransportFailure) -> WireResponse
}

/// HTTPS through Foundation's `URLSession` (libcurl on Linux): one ephemeral session per client, no cookies, no
/// cache, no stored credentials.
final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
  private let session: URLSession

  /// - Parameters:
  ///   - connections: the most connections to one host.
  ///   - timeout: seconds a request may wait for data.
  init(connections: Int, timeout: Double) {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpMaximumConnectionsPerHost = max(1, connections)
    configuration.timeoutIntervalForRequest = timeout
    configuration.timeoutIntervalForResource = timeout * 4
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    configuration.urlCache = nil
    configuration.httpCookieStorage = nil
    configuration.httpShouldSetCookies = false
    configuration.urlCredentialStorage = nil
    session = URLSession(configuration: configuration)
  }

  deinit { session.finishTasksAndInvalidate() }

  func send(method: String, url: String, headers: [SigV4Request.Header], body: [UInt8]) async throws(TransportFailure) -> WireResponse {
    guard let target = URL(string: url) else { throw TransportFailure(message: "not a URL: \(url)", isRetryable: false) }
    var request = URLRequest(url: target)
    request.httpMethod = method
    for header in headers where header.name.lowercased() != "host" {
      request.setValue(header.value, forHTTPHeaderField: header.name)
    }
    if !body.isEmpty { request.httpBody = Data(body) }
    let session = self.session
    let outcome: Result<WireResponse, TransportFailure> = await withCheckedContinuation { continuation in
      let task = session.dataTask(with: request) { data, response, error in
        if let error {
          continuation.resume(returning: .failure(URLSessionTransport.failure(error)))
        } else if let http = response as? HTTPURLResponse {
          var fields: [String: String] = [:]
          for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
          }
          continuation.resume(returning: .success(WireResponse(status: http.statusCode, headers: fields, body: Array(data ?? Data()))))
        } else {
          continuation.resume(returning: .failure(TransportFailure(message: "the response is not HTTP", isRetryable: true)))
        }
      }
      task.resume()
    }
    return try outcome.get()
  }

  private static func failure(_ error: any Error) -> TransportFailure {
    guard let urlError = error as? URLError else {
      return TransportFailure(message: String(describing: error), isRetryable: true)
    }
    let permanent: Set<URLError.Code> = [
      .badURL, .unsupportedURL, .cancelled, .userAuthenticationRequired, .secureConnectionFailed, .serverCertificateHasBadDate,
      .serverCertificateUntrusted, .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid, .clientCertificateRejected,
      .clientCertificateRequired, .appTransportSecurityRequiresSecureConnection,
    ]
    let detail = (urlError.userInfo[NSLocalizedDescriptionKey] as? String) ?? urlError.localizedDescription
    // libcurl's certificate failures come as an unknown URLError code, with curl's message.
    let certificate = detail.contains("SSL certificate") || detail.contains("certificate verify")
    return TransportFailure(message: detail, isRetryable: !permanent.contains(urlError.code) && !certificate)
  }
}
