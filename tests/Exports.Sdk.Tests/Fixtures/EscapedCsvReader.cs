using System.Text;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>
/// A strict reader for quoted CSV whose quotes are escaped by a separate character (e.g. <c>"say \"hi\""</c>), the
/// dialect of MySQL's <c>FIELDS ENCLOSED BY '"' ESCAPED BY '\'</c>: inside quotes the escape character makes the next
/// character literal; outside quotes the delimiter splits fields and a line break ends the record.
/// Independent of the SDK; it throws on anything malformed instead of guessing.
/// </summary>
internal static class EscapedCsvReader
{
    public static List<string[]> Read(string text, char delimiter, char quote, char escape)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == quote && field.Length == 0)
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException("A quoted field is not closed.");
                    }

                    c = text[i++];
                    if (c == escape)
                    {
                        if (i >= text.Length)
                        {
                            throw new FormatException("The input ends with an escape character.");
                        }

                        field.Append(text[i++]);
                    }
                    else if (c == quote)
                    {
                        break;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }

                if (i < text.Length && text[i] != delimiter && text[i] != '\n' && text[i] != '\r')
                {
                    throw new FormatException($"Unexpected '{text[i]}' after a closing quote at {i}.");
                }

                continue;
            }

            if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
                i++;
            }
            else if (c is '\n' or '\r')
            {
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
            }
            else if (c == quote || c == escape)
            {
                throw new FormatException($"'{c}' inside an unquoted field at {i}.");
            }
            else
            {
                field.Append(c);
                i++;
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        return records;
    }
}
