using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Exports.Sdk.Tests.Architecture;

/// <summary>
/// Which top-level folder of a package refers to which, read from the syntax trees: a folder refers to another when
/// its code names a top-level type declared there. Documentation comments do not count.
/// </summary>
internal sealed class FolderGraph
{
    private readonly Dictionary<string, Dictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);

    private FolderGraph(IReadOnlyCollection<string> folders) => Folders = folders;

    /// <summary>Every folder that holds code.</summary>
    public IReadOnlyCollection<string> Folders { get; }

    /// <summary>The folders a folder refers to, each with the <c>Type@File</c> references that make the edge.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> EdgesFrom(string folder) =>
        _edges.TryGetValue(folder, out var edges) ? edges : [];

    /// <summary>Reads every <c>.cs</c> file below a package folder (bin and obj left out).</summary>
    public static FolderGraph FromDirectory(string root)
    {
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(Path.Combine(root, f))));
        return FromSources(files);
    }

    /// <summary>Builds the graph from (path relative to the package, code) pairs.</summary>
    public static FolderGraph FromSources(IEnumerable<(string Path, string Code)> sources)
    {
        var trees = sources.Select(s => (Folder: FolderOf(s.Path), File: s.Path, Root: CSharpSyntaxTree.ParseText(s.Code).GetRoot())).ToList();
        var declaredIn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (folder, _, root) in trees)
        {
            foreach (var name in root.DescendantNodes().Where(IsTopLevelType).Select(NameOf))
            {
                declaredIn[name] = folder;
            }
        }

        var graph = new FolderGraph([.. trees.Select(t => t.Folder).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
        foreach (var (folder, file, root) in trees)
        {
            var members = root.DescendantNodes().Select(MemberNameOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var name in root.DescendantNodes().OfType<SimpleNameSyntax>().Where(n => IsTypeReference(n, members)).Select(n => n.Identifier.Text))
            {
                if (declaredIn.TryGetValue(name, out var target) && target != folder)
                {
                    graph.Add(folder, target, $"{name}@{Path.GetFileName(file)}");
                }
            }
        }

        return graph;
    }

    /// <summary>The folder cycles: each strongly connected set of two or more folders.</summary>
    public IReadOnlyList<IReadOnlyList<string>> FindCycles()
    {
        // Tarjan's algorithm; the graphs are a few dozen nodes, so recursion depth is no concern.
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var cycles = new List<IReadOnlyList<string>>();
        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in EdgesFrom(node).Keys)
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next))
                {
                    low[node] = Math.Min(low[node], nextIndex);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    cycles.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }

        foreach (var folder in Folders.Where(f => !index.ContainsKey(f)))
        {
            Visit(folder);
        }

        return cycles;
    }

    private void Add(string from, string to, string reference)
    {
        if (!_edges.TryGetValue(from, out var edges))
        {
            _edges[from] = edges = new(StringComparer.Ordinal);
        }

        if (!edges.TryGetValue(to, out var references))
        {
            edges[to] = references = new(StringComparer.Ordinal);
        }

        references.Add(reference);
    }

    private static string FolderOf(string path) => path.Contains('/', StringComparison.Ordinal) ? path[..path.IndexOf('/', StringComparison.Ordinal)] : ".";

    private static bool IsTopLevelType(SyntaxNode node) =>
        node is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax
        && node.Parent is BaseNamespaceDeclarationSyntax or CompilationUnitSyntax;

    private static string NameOf(SyntaxNode node) => node switch
    {
        BaseTypeDeclarationSyntax type => type.Identifier.Text,
        DelegateDeclarationSyntax type => type.Identifier.Text,
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static string? MemberNameOf(SyntaxNode node) => node switch
    {
        PropertyDeclarationSyntax property => property.Identifier.Text,
        MethodDeclarationSyntax method => method.Identifier.Text,
        VariableDeclaratorSyntax variable => variable.Identifier.Text,
        ParameterSyntax parameter => parameter.Identifier.Text,
        EnumMemberDeclarationSyntax member => member.Identifier.Text,
        _ => null,
    };

    // A name where only a type can stand is a type. Elsewhere `x.Name` names a member unless x is the namespace
    // (`Sdk.FileNameTemplate`), and a name declared as a member of the same file (a property `FileNameTemplate`) is that member.
    private static bool IsTypeReference(SimpleNameSyntax name, HashSet<string> members) =>
        SyntaxFacts.IsInTypeOnlyContext(name) || name.Parent switch
        {
            MemberAccessExpressionSyntax access when access.Name == name => access.Expression is IdentifierNameSyntax { Identifier.Text: "Sdk" },
            MemberBindingExpressionSyntax => false,
            _ => !members.Contains(name.Identifier.Text),
        };
}
