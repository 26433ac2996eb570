namespace Exports.Sdk.EndToEnd;

/// <summary>The servers scripts/services.sh started, read from the env file it wrote (.services/services.env).</summary>
public sealed class ServicesEnvironment(IReadOnlyDictionary<string, string> values)
{
    public string this[string key] => values.TryGetValue(key, out var value) ? value : throw new InvalidOperationException($"{key} is not in .services/services.env; run scripts/services.sh start.");

    public string PostgresConnectionString => this["PG_CONNECTION_STRING"];

    /// <summary>The repository's folder: the nearest above the current one holding Exports.Sdk.sln.</summary>
    public static string Root
    {
        get
        {
            var folder = new DirectoryInfo(Environment.CurrentDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Exports.Sdk.sln")))
            {
                folder = folder.Parent;
            }

            return folder?.FullName ?? Environment.CurrentDirectory;
        }
    }

    public static ServicesEnvironment Load()
    {
        var path = Path.Combine(Root, ".services", "services.env");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} does not exist: run scripts/services.sh start first (the end-to-end case uses its PostgreSQL, fauxqs and sshd).");
        }

        return new ServicesEnvironment(File.ReadLines(path)
            .Where(l => l.Length > 0 && l[0] != '#' && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal));
    }
}
