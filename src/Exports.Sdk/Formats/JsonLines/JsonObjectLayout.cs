using System.Text.Json;

namespace Exports.Sdk;

/// <summary>
/// The nesting of dotted column names, computed once per file as a flat list of steps so that writing a row is a loop.
/// </summary>
internal sealed class JsonObjectLayout
{
    private JsonObjectLayout(Step[] steps) => Steps = steps;

    internal enum StepKind
    {
        Value,
        StartObject,
        EndObject,
    }

    public Step[] Steps { get; }

    public static JsonObjectLayout Create(IReadOnlyList<OutputColumn> columns, string exportName)
    {
        var root = new Node("");
        for (var c = 0; c < columns.Count; c++)
        {
            var segments = columns[c].Name.Split('.');
            var node = root;
            for (var s = 0; s < segments.Length; s++)
            {
                var segment = segments[s];
                if (segment.Length == 0)
                {
                    throw new ExportException($"{exportName}: column '{columns[c].Name}' has an empty path segment.");
                }

                var isLeaf = s == segments.Length - 1;
                var child = node.Children.Find(n => n.Name == segment);
                if (child is null)
                {
                    child = new Node(segment) { Column = isLeaf ? c : -1 };
                    node.Children.Add(child);
                }
                else if (isLeaf || child.Column >= 0)
                {
                    throw new ExportException(
                        $"{exportName}: column '{columns[c].Name}' conflicts with another column; a path cannot be both a value and an object.");
                }

                node = child;
            }
        }

        var steps = new List<Step>();
        foreach (var child in root.Children)
        {
            Flatten(child, steps);
        }

        return new JsonObjectLayout([.. steps]);
    }

    private static void Flatten(Node node, List<Step> steps)
    {
        var name = JsonEncodedText.Encode(node.Name, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        if (node.Column >= 0)
        {
            steps.Add(new Step(StepKind.Value, name, node.Column));
            return;
        }

        steps.Add(new Step(StepKind.StartObject, name, -1));
        foreach (var child in node.Children)
        {
            Flatten(child, steps);
        }

        steps.Add(new Step(StepKind.EndObject, default, -1));
    }

    internal readonly record struct Step(StepKind Kind, JsonEncodedText Name, int Column);

    private sealed class Node(string name)
    {
        public string Name { get; } = name;

        public int Column { get; init; } = -1;

        public List<Node> Children { get; } = [];
    }
}
