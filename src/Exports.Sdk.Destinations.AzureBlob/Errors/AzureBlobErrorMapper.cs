using System.Net.Sockets;
using Azure;

namespace Exports.Sdk.Destinations.AzureBlob;

/// <summary>
/// Turns Azure SDK and network exceptions into <see cref="DestinationException"/>s that name the destination, the
/// container and the problem in words, and say whether a retry may help. Messages never hold keys, SAS tokens or URLs
/// with a query.
/// </summary>
internal static class AzureBlobErrorMapper
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "ServerBusy", "OperationTimedOut", "InternalError", "ServiceUnavailable",
    };

    /// <summary>Maps an exception, or returns null when it must propagate unchanged (cancellation by the caller or by a timeout).</summary>
    public static DestinationException? Map(Exception exception, string destination, string container, AzureBlobOperation operation, string blob, CancellationToken cancellationToken)
    {
        if (exception is DestinationException || (exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return null;
        }

        var where = $"Destination '{destination}'";
        var target = blob.Length == 0 ? $"container '{container}'" : $"'{blob}' in container '{container}'";
        if (exception is RequestFailedException failed)
        {
            return MapFailure(failed, where, container, operation, target);
        }

        if (IsNetwork(exception))
        {
            return new DestinationException($"{where}: {operation.Name} of {target} failed: cannot reach the Blob endpoint ({Describe(exception)}).", isTransient: true, exception);
        }

        // Azure.Identity's AuthenticationFailedException / CredentialUnavailableException, without referencing Azure.Identity.
        if (exception.GetType().Name is "AuthenticationFailedException" or "CredentialUnavailableException")
        {
            return new DestinationException($"{where}: the TokenCredential could not get a token for the storage account ({exception.GetType().Name}).", isTransient: false, exception);
        }

        return null;
    }

    private static DestinationException MapFailure(RequestFailedException failed, string where, string container, AzureBlobOperation operation, string target)
    {
        if (failed.Status == 0)
        {
            return new DestinationException($"{where}: {operation.Name} of {target} failed: cannot reach the Blob endpoint ({Describe(failed)}).", isTransient: true, failed);
        }

        var code = failed.ErrorCode ?? "";
        var message = code switch
        {
            "ContainerNotFound" => $"{where}: the container '{container}' does not exist (check 'container' or the SAS URL).",
            "AuthenticationFailed" or "InvalidAuthenticationInfo" =>
                $"{where}: the storage account rejected the credentials (wrong account key, invalid or expired SAS, or invalid token) on {operation.Name} of {target}.",
            "AuthorizationPermissionMismatch" or "AuthorizationResourceTypeMismatch" or "AuthorizationServiceMismatch" or "InsufficientAccountPermissions" =>
                $"{where}: not permitted to {operation.Name} {target}: the SAS or role lacks the {operation.Permission} permission (a read-only SAS cannot export).",
            "AuthorizationFailure" =>
                $"{where}: the storage account refused {operation.Name} of {target} (AuthorizationFailure): the credentials are wrong, or they lack the {operation.Permission} permission, or a network rule blocks this client.",
            "AuthorizationSourceIPMismatch" or "AuthorizationProtocolMismatch" =>
                $"{where}: the SAS does not allow this client's address or protocol ({code}).",
            "InvalidBlockList" or "InvalidBlockId" => $"{where}: {operation.Name} of {target} failed: the staged blocks are gone ({code}); the upload must start again.",
            "ContainerBeingDeleted" or "ContainerDisabled" => $"{where}: the container '{container}' cannot be written ({code}).",
            _ => null,
        };
        if (message is not null)
        {
            return new DestinationException(message, isTransient: false, failed);
        }

        var transient = failed.Status >= 500 || failed.Status is 408 or 429 || TransientCodes.Contains(code);
        var detail = code.Length == 0 ? $"HTTP {failed.Status}" : $"{code}, HTTP {failed.Status}";
        return failed.Status == 403
            ? new DestinationException($"{where}: not permitted to {operation.Name} {target} ({detail}): the credentials lack the {operation.Permission} permission.", isTransient: false, failed)
            : new DestinationException($"{where}: {operation.Name} of {target} failed ({detail}).", transient, failed);
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

        // The SDK's network timeout aborts the socket: the innermost error is then a cancelled socket operation.
        return inner is TimeoutException or OperationCanceledException or SocketException { SocketErrorCode: SocketError.OperationAborted }
            ? "the request timed out"
            : inner is RequestFailedException ? "no response"
            : inner.Message;
    }
}
