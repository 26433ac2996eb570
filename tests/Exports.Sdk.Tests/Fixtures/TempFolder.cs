namespace Exports.Sdk.Tests.Fixtures;

/// <summary>A fresh temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    private static readonly EnumerationOptions Everything = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = 0,
        MatchType = MatchType.Win32,
        IgnoreInaccessible = false,
    };

    public TempFolder() => Root = Directory.CreateTempSubdirectory("exports-tests-").FullName;

    /// <summary>A fresh folder under <paramref name="parent"/>, e.g. beside the tests, on a disk rather than in memory.</summary>
    public TempFolder(string parent) => Root = Directory.CreateDirectory(Path.Combine(parent, "exports-tests-" + Guid.NewGuid().ToString("N"))).FullName;

    public string Root { get; }

    /// <summary>Every file under the root, hidden ones included, as sorted paths relative to the root with '/'.</summary>
    public IReadOnlyList<string> ListAllFiles() =>
        [.. Directory.EnumerateFiles(Root, "*", Everything)
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)];

    /// <summary>The bytes of a file under the root.</summary>
    public byte[] ReadBytes(string relativePath) => File.ReadAllBytes(Path.Combine(Root, relativePath));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
