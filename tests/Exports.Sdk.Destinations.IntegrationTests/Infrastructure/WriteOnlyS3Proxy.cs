using System.Net;
using System.Text;

namespace Exports.Sdk.Destinations.IntegrationTests.Infrastructure;

/// <summary>
/// fauxqs as seen through a write-only bucket policy (fauxqs enforces no policies): uploads, multipart and its abort
/// pass; listing (s3:ListBucket), reading, copying (s3:GetObject) and deleting objects (s3:DeleteObject) are answered
/// 403 AccessDenied, as S3 answers them. Everything passes through unchanged otherwise.
/// </summary>
public sealed class WriteOnlyS3Proxy : IAsyncDisposable
{
    private static readonly byte[] AccessDenied = Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>");

    private static readonly HashSet<string> ContentHeaders = new(StringComparer.OrdinalIgnoreCase) { "Content-Type", "Content-Length", "Content-MD5", "Content-Encoding" };
    private readonly HttpListener _listener = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly Uri _target;
    private readonly List<string> _denied = [];

    public WriteOnlyS3Proxy(string targetUrl)
    {
        _target = new Uri(targetUrl);
        Port = BlackHoleServer.ClosedPort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = ServeAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>The requests refused, e.g. <c>DELETE /bucket/key</c>.</summary>
    public IReadOnlyList<string> Denied
    {
        get
        {
            lock (_denied)
            {
                return [.. _denied];
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>What a write-only policy (s3:PutObject and s3:AbortMultipartUpload only) refuses.</summary>
    private static bool IsDenied(HttpListenerRequest request)
    {
        var path = request.Url!.AbsolutePath.Trim('/');
        var isObject = path.Contains('/', StringComparison.Ordinal);
        var query = request.QueryString;
        return request.HttpMethod switch
        {
            "GET" or "HEAD" => true,
            "DELETE" => isObject && query["uploadId"] is null,
            "PUT" => request.Headers["x-amz-copy-source"] is not null,
            "POST" => query.AllKeys.Contains("delete"),
            _ => false,
        };
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = HandleAsync(context);
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            if (IsDenied(request))
            {
                lock (_denied)
                {
                    _denied.Add($"{request.HttpMethod} {request.Url!.PathAndQuery}");
                }

                response.StatusCode = 403;
                response.ContentType = "application/xml";
                await response.OutputStream.WriteAsync(AccessDenied);
                return;
            }

            using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_target, request.Url!.PathAndQuery));
            var body = request.HasEntityBody ? new MemoryStream() : null;
            if (body is not null)
            {
                await request.InputStream.CopyToAsync(body);
                body.Position = 0;
                forward.Content = new StreamContent(body);
            }

            foreach (var name in request.Headers.AllKeys.OfType<string>())
            {
                var value = request.Headers[name]!;
                if (ContentHeaders.Contains(name))
                {
                    forward.Content?.Headers.TryAddWithoutValidation(name, value);
                }
                else if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    forward.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var answer = await _client.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead);
            response.StatusCode = (int)answer.StatusCode;
            foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
            {
                if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    response.Headers[name] = string.Join(",", values);
                }
            }

            var bytes = await answer.Content.ReadAsByteArrayAsync();
            response.ContentLength64 = bytes.Length;
            if (request.HttpMethod != "HEAD")
            {
                await response.OutputStream.WriteAsync(bytes);
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or HttpRequestException or ObjectDisposedException)
        {
            // The client went away: nothing to answer.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }
}
