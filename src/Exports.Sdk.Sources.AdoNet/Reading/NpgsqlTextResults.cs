using System.Data;
using System.Data.Common;
using System.Reflection;

namespace Exports.Sdk.Sources.AdoNet;

/// <summary>
/// Asks Npgsql for a query's plain text columns (text, varchar, char, citext, name) in PostgreSQL's text format instead
/// of its binary one. The bytes are the same in both, and so is every value read from them; but the server's binary
/// path builds a separate buffer for every value it sends, and with five text columns of ten (the benchmark table) the
/// backend used ~12 % less CPU in text format (docs/performance.md). Npgsql takes the formats per column
/// (<c>NpgsqlCommand.UnknownResultTypeList</c>), so the query is described first: one more round trip before the rows.
/// </summary>
internal static class NpgsqlTextResults
{
    /// <summary>Sets the text format on an Npgsql command's plain text columns; other commands are left as they are.</summary>
    public static async Task RequestAsync(DbCommand command, CancellationToken cancellationToken)
    {
        // Npgsql is not a dependency of this package: its command is recognised by name, its property found by reflection.
        if (command.GetType() is not { FullName: "Npgsql.NpgsqlCommand" } type
            || type.GetProperty("UnknownResultTypeList", BindingFlags.Public | BindingFlags.Instance) is not { CanWrite: true } property
            || property.PropertyType != typeof(bool[]))
        {
            return;
        }

        bool[] text;
        var schema = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken).ConfigureAwait(false);
        await using (schema.ConfigureAwait(false))
        {
            text = new bool[schema.FieldCount];
            for (var i = 0; i < text.Length; i++)
            {
                text[i] = schema.GetFieldType(i) == typeof(string) && RepeatedTextReader.IsPlainText(schema.GetDataTypeName(i));
            }
        }

        if (Array.IndexOf(text, true) >= 0)
        {
            property.SetValue(command, text);
        }
    }
}
