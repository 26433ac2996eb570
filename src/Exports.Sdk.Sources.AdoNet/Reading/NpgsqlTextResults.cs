using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Exports.Sdk.Sources.AdoNet;

/// <summary>
/// Asks Npgsql for a query's plain text columns (text, varchar, char, citext, name) in PostgreSQL's text format instead
/// of its binary one. The bytes are the same in both, and so is every value read from them; but the server's binary
/// path builds a separate buffer for every value it sends, and with five text columns of ten (the benchmark table) the
/// backend used 12–15 % less CPU in text format (docs/performance/log.md). Npgsql takes the formats per column
/// (<c>NpgsqlCommand.UnknownResultTypeList</c>), so the query is described first: one more round trip before the rows.
/// </summary>
internal static class NpgsqlTextResults
{
    private static PropertyInfo? s_formats;

    /// <summary>
    /// Sets the text format on an Npgsql command's plain text columns; other commands are left as they are, and so is a
    /// query the server cannot describe before it runs (e.g. one that first creates the table it reads): it then runs
    /// as before, and fails, if it does, with its own error.
    /// </summary>
    public static async Task RequestAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (Formats(command) is not { } formats)
        {
            return;
        }

        bool[] text;
        try
        {
            var schema = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken).ConfigureAwait(false);
            await using (schema.ConfigureAwait(false))
            {
                // By name alone: asking a column's CLR type fails for types Npgsql cannot read (PostGIS without its plug-in),
                // which the query may return without the export asking for them.
                text = new bool[schema.FieldCount];
                for (var i = 0; i < text.Length; i++)
                {
                    text[i] = RepeatedTextReader.IsPlainText(schema.GetDataTypeName(i));
                }
            }
        }
        catch (DbException)
        {
            return;
        }

        if (Array.IndexOf(text, true) >= 0)
        {
            formats.SetValue(command, text);
        }
    }

    /// <summary>Npgsql's per-column format list; Npgsql is not a dependency of this package, so it is found by name.</summary>
    [DynamicDependency("UnknownResultTypeList", "Npgsql.NpgsqlCommand", "Npgsql")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The property is kept by the DynamicDependency above whenever Npgsql is in the app; without it the source reads every column in binary, as other providers.")]
    private static PropertyInfo? Formats(DbCommand command)
    {
        var type = command.GetType();
        if (type.FullName != "Npgsql.NpgsqlCommand")
        {
            return null;
        }

        if (s_formats is { } cached && cached.DeclaringType == type)
        {
            return cached;
        }

        var property = type.GetProperty("UnknownResultTypeList", BindingFlags.Public | BindingFlags.Instance);
        return property is { CanWrite: true } && property.PropertyType == typeof(bool[]) ? s_formats = property : null;
    }
}
