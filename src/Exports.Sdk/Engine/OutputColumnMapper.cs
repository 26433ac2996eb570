namespace Exports.Sdk;

/// <summary>Matches the columns an export wants with those a source returned, by name.</summary>
internal static class OutputColumnMapper
{
    /// <summary>Maps the wanted names to the batch's ordinals; fails naming every missing column and what there was.</summary>
    /// <exception cref="ExportException">A wanted column is missing.</exception>
    public static OutputColumn[] Map(ExportSchema schema, IReadOnlyList<string> names, string exportName, string sourceName)
    {
        var columns = new OutputColumn[names.Count];
        var missing = new List<string>();
        for (var i = 0; i < names.Count; i++)
        {
            var ordinal = schema.IndexOf(names[i]);
            if (ordinal < 0)
            {
                missing.Add(names[i]);
                continue;
            }

            columns[i] = new OutputColumn(names[i], schema[ordinal].Type, ordinal);
        }

        if (missing.Count > 0)
        {
            throw new ExportException(
                $"{exportName}: the source '{sourceName}' returned no column {string.Join(", ", missing.Select(m => $"'{m}'"))}; " +
                $"it returned {string.Join(", ", schema.Select(c => $"'{c.Name}'"))}.");
        }

        return columns;
    }

    /// <summary>Every column of a schema, in order.</summary>
    public static OutputColumn[] All(ExportSchema schema) => [.. schema.Select((c, i) => new OutputColumn(c.Name, c.Type, i))];
}
