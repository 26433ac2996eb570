using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Exports.Sdk.Dashboard;

/// <summary>The dashboard's files, embedded in the package and read once: path to bytes, content type and ETag.</summary>
internal sealed class DashboardAssets
{
    private const string ResourcePrefix = "Exports.Sdk.Dashboard.Assets.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, DashboardAsset> _assets;

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        _assets = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .ToFrozenDictionary(n => n[ResourcePrefix.Length..].Replace('\\', '/'), n => Load(assembly, n), StringComparer.Ordinal);
    }

    /// <summary>An asset by its path under Assets/ (e.g. <c>screens/exports.js</c>), or null.</summary>
    public DashboardAsset? Find(string path) => _assets.GetValueOrDefault(path);

    private static DashboardAsset Load(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var type = ContentTypes.GetValueOrDefault(Path.GetExtension(resource), "application/octet-stream");
        return new DashboardAsset(bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8))}\"");
    }
}
