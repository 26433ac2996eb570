using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Exports.Sdk.Destinations.AmazonS3;

/// <summary>
/// Turns AWS SDK and network exceptions into <see cref="DestinationException"/>s whose messages name the destination,
/// the bucket and the problem in words, and say whether a retry may help. Messages never hold credentials.
/// </summary>
internal static class AmazonS3ErrorMapper
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "SlowDown", "RequestTimeout", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
        "RequestLimitExceeded", "TooManyRequestsException", "ServiceUnavailable", "InternalError", "RequestTimeTooSkewed",
    };

    /// <summary>Maps an exception, or returns null when it must propagate unchanged (cancellation by the caller or by a timeout).</summary>
    public static DestinationException? Map(Exception exception, string destination, string bucket, AmazonS3Operation operation, string key, CancellationToken cancellationToken)
    {
        if (exception is DestinationException || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return null;
        }

        var where = $"Destination '{destination}'";
        var target = key.Length == 0 ? $"bucket '{bucket}'" : $"'{key}' in bucket '{bucket}'";
        return exception switch
        {
            AmazonS3Exception s3 => MapService(s3, where, bucket, operation, target),
            AmazonServiceException service when IsNetwork(service.InnerException) =>
                new DestinationException($"{where}: {operation.Name} of {target} failed: cannot reach the S3 endpoint ({Describe(service.InnerException!)}).", isTransient: true, exception),
            AmazonServiceException service => MapStatus(service.StatusCode, service.ErrorCode, service.Message, where, operation, target, exception),
            _ when IsNetwork(exception) =>
                new DestinationException($"{where}: {operation.Name} of {target} failed: cannot reach the S3 endpoint ({Describe(exception)}).", isTransient: true, exception),
            AmazonClientException client when client.Message.Contains("credential", StringComparison.OrdinalIgnoreCase) =>
                new DestinationException($"{where}: no AWS credentials were found: set 'accessKeyId' and 'secretAccessKey', or configure the default credential chain (environment, profile, role).", isTransient: false, exception),
            AmazonClientException client when IsNetwork(client.InnerException) =>
                new DestinationException($"{where}: {operation.Name} of {target} failed: cannot reach the S3 endpoint ({Describe(client.InnerException!)}).", isTransient: true, exception),
            AmazonClientException client =>
                new DestinationException($"{where}: {operation.Name} of {target} failed: {client.Message}", isTransient: false, exception),
            _ => null,
        };
    }

    private static DestinationException MapService(AmazonS3Exception s3, string where, string bucket, AmazonS3Operation operation, string target)
    {
        var message = s3.ErrorCode switch
        {
            "NoSuchBucket" => $"{where}: the bucket '{bucket}' does not exist (check 'bucket', 'region' and 'serviceUrl').",
            "AccessDenied" or "AllAccessDisabled" => $"{where}: access denied for {operation.Name} of {target}: the credentials lack the permission {operation.Permission}.",
            "InvalidAccessKeyId" => $"{where}: the access key id is not known to the S3 endpoint (check 'accessKeyId').",
            "SignatureDoesNotMatch" => $"{where}: the S3 endpoint rejected the request signature: 'secretAccessKey' does not match 'accessKeyId'.",
            "ExpiredToken" or "InvalidToken" or "TokenRefreshRequired" => $"{where}: the session token was rejected or has expired (check 'sessionToken').",
            "NoSuchUpload" => $"{where}: the multipart upload of {target} no longer exists (it was aborted or expired).",
            "PermanentRedirect" or "AuthorizationHeaderMalformed" or "IllegalLocationConstraintException" => $"{where}: the bucket '{bucket}' is in another region than 'region' says ({s3.ErrorCode}).",
            "EntityTooSmall" => $"{where}: {operation.Name} of {target} failed: a part is smaller than the store's minimum (raise 'partSize').",
            _ => null,
        };
        if (message is not null)
        {
            return new DestinationException(message, isTransient: false, s3);
        }

        return MapStatus(s3.StatusCode, s3.ErrorCode, s3.Message, where, operation, target, s3);
    }

    private static DestinationException MapStatus(HttpStatusCode status, string? code, string? text, string where, AmazonS3Operation operation, string target, Exception exception)
    {
        var transient = (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout
            || (code is not null && TransientCodes.Contains(code));
        var detail = string.IsNullOrEmpty(code) ? $"HTTP {(int)status}" : $"{code}, HTTP {(int)status}";
        return status == HttpStatusCode.Forbidden && !transient
            ? new DestinationException($"{where}: access denied for {operation.Name} of {target} ({detail}): the credentials lack the permission {operation.Permission}.", isTransient: false, exception)
            : new DestinationException($"{where}: {operation.Name} of {target} failed ({detail}): {text}", transient, exception);
    }

    private static bool IsNetwork(Exception? exception) => exception switch
    {
        null => false,
        HttpRequestException or SocketException or IOException or TimeoutException or OperationCanceledException => true,
        _ => IsNetwork(exception.InnerException),
    };

    private static string Describe(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null && inner is not SocketException)
        {
            inner = inner.InnerException;
        }

        // A client-side timeout aborts the socket: the innermost error is then a cancelled socket operation.
        return inner is TimeoutException or OperationCanceledException or SocketException { SocketErrorCode: SocketError.OperationAborted }
            ? "the request timed out"
            : inner.Message;
    }
}
