using System.Globalization;
using System.Text;

namespace Exports.Sdk;

/// <summary>
/// A file-name template with the placeholders <c>%DESTINATION_NAME%</c> (required), <c>%SEGMENT_ID%</c> (required),
/// <c>%SEGMENT_NAME%</c>, <c>%DATETIME(pattern)%</c> (pattern letters <c>YYYY MM dd HH mm ss</c> with
/// <c>_ - .</c> between them), <c>%TIMESTAMP%</c> (10-digit Unix seconds; excludes <c>DATETIME</c>),
/// <c>%DESTINATION_ID%</c>, <c>%ORGANIZATION_NAME%</c>, <c>%SANDBOX_NAME%</c>, and custom text.
/// </summary>
public sealed class FileNameTemplate : IFileNameTemplate
{
    /// <summary>The default template: <c>%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%</c>.</summary>
    public const string Default = AudienceActivation.DefaultFileNameTemplate;

    private static readonly string[] Placeholders =
        ["DESTINATION_NAME", "SEGMENT_ID", "SEGMENT_NAME", "DATETIME(…)", "TIMESTAMP", "DESTINATION_ID", "ORGANIZATION_NAME", "SANDBOX_NAME"];

    private readonly Part[] _parts;

    private FileNameTemplate(string template, Part[] parts, bool isStatic)
    {
        Template = template;
        _parts = parts;
        IsStatic = isStatic;
    }

    private enum PartKind
    {
        Text,
        DestinationName,
        DestinationId,
        SegmentId,
        SegmentName,
        OrganizationName,
        SandboxName,
        DateTime,
        Timestamp,
    }

    /// <inheritdoc />
    public string Template { get; }

    /// <inheritdoc />
    public bool IsStatic { get; }

    /// <summary>Parses a template.</summary>
    /// <param name="template">The template text.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ExportValidationException">The template is invalid; every problem is listed.</exception>
    public static FileNameTemplate Parse(string? template)
    {
        var result = TryParse(template, out var errors);
        return result ?? throw new ExportValidationException(errors);
    }

    /// <summary>Checks a template and returns every problem (empty when valid).</summary>
    /// <param name="template">The template text.</param>
    /// <returns>The problems, each naming the placeholder or text at fault.</returns>
    public static IReadOnlyList<string> Validate(string? template)
    {
        TryParse(template, out var errors);
        return errors;
    }

    /// <inheritdoc />
    public string Render(FileNameContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var utc = context.Time.ToUniversalTime();
        var pieces = new string[_parts.Length];
        for (var i = 0; i < _parts.Length; i++)
        {
            var part = _parts[i];
            pieces[i] = part.Kind switch
            {
                PartKind.Text => part.Text,
                PartKind.DestinationName => FileNameSanitizer.Sanitize(context.DestinationName),
                PartKind.DestinationId => FileNameSanitizer.Sanitize(context.DestinationId),
                PartKind.SegmentId => FileNameSanitizer.Sanitize(context.SegmentId),
                PartKind.SegmentName => FileNameSanitizer.Sanitize(context.SegmentName),
                PartKind.OrganizationName => FileNameSanitizer.Sanitize(context.OrganizationName),
                PartKind.SandboxName => FileNameSanitizer.Sanitize(context.SandboxName),
                PartKind.DateTime => utc.ToString(part.Text, CultureInfo.InvariantCulture),
                PartKind.Timestamp => utc.ToUnixTimeSeconds().ToString("D10", CultureInfo.InvariantCulture),
                _ => "",
            };
        }

        ShortenValues(pieces);

        // Leading dots of the whole name would hide the file or form "..".
        return FileNameSanitizer.Fit(FileNameSanitizer.Sanitize(string.Concat(pieces)), "");
    }

    /// <inheritdoc />
    public override string ToString() => Template;

    private static FileNameTemplate? TryParse(string? template, out List<string> errors)
    {
        // Messages show the template with control characters escaped: a newline in it must not split the message.
        var shown = Shown(template);
        errors = [];
        if (string.IsNullOrWhiteSpace(template))
        {
            errors.Add("The file name template is empty.");
            return null;
        }

        var parts = new List<Part>();
        var text = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c != '%')
            {
                if (FileNameSanitizer.IsForbidden(c))
                {
                    errors.Add($"The file name template '{shown}' has the character '{Printable(c)}' at position {i + 1}, which is not allowed in file names.");
                }

                text.Append(c);
                i++;
                continue;
            }

            var end = template.IndexOf('%', i + 1);
            if (end < 0)
            {
                errors.Add($"The file name template '{shown}' has a '%' at position {i + 1} that is not closed.");
                break;
            }

            if (text.Length > 0)
            {
                parts.Add(new Part(PartKind.Text, text.ToString()));
                text.Clear();
            }

            var name = template[(i + 1)..end];
            i = end + 1;
            if (name.StartsWith("DATETIME(", StringComparison.Ordinal) && name.EndsWith(')'))
            {
                var pattern = name["DATETIME(".Length..^1];
                var format = ToDotNetFormat(pattern, template, errors);
                if (format is not null)
                {
                    parts.Add(new Part(PartKind.DateTime, format));
                }

                continue;
            }

            PartKind? kind = name switch
            {
                "DESTINATION_NAME" => PartKind.DestinationName,
                "DESTINATION_ID" => PartKind.DestinationId,
                "SEGMENT_ID" => PartKind.SegmentId,
                "SEGMENT_NAME" => PartKind.SegmentName,
                "ORGANIZATION_NAME" => PartKind.OrganizationName,
                "SANDBOX_NAME" => PartKind.SandboxName,
                "TIMESTAMP" => PartKind.Timestamp,
                _ => null,
            };
            if (kind is null)
            {
                errors.Add($"The file name template '{shown}' has the unknown placeholder '%{Shown(name)}%'; use one of " +
                    string.Join(", ", Placeholders.Select(p => $"%{p}%")) + ".");
                continue;
            }

            parts.Add(new Part(kind.Value, ""));
        }

        if (text.Length > 0)
        {
            parts.Add(new Part(PartKind.Text, text.ToString()));
        }

        if (!parts.Exists(p => p.Kind == PartKind.DestinationName))
        {
            errors.Add($"The file name template '{shown}' must contain %DESTINATION_NAME%.");
        }

        if (!parts.Exists(p => p.Kind == PartKind.SegmentId))
        {
            errors.Add($"The file name template '{shown}' must contain %SEGMENT_ID%.");
        }

        var hasDateTime = parts.Exists(p => p.Kind == PartKind.DateTime);
        var hasTimestamp = parts.Exists(p => p.Kind == PartKind.Timestamp);
        if (hasDateTime && hasTimestamp)
        {
            errors.Add($"The file name template '{shown}' uses both %DATETIME(…)% and %TIMESTAMP%; choose one.");
        }

        if (template.Length > FileNameSanitizer.MaxLength)
        {
            errors.Add($"The file name template is {template.Length} characters long; the limit is {FileNameSanitizer.MaxLength}.");
        }

        return errors.Count == 0 ? new FileNameTemplate(template, [.. parts], !hasDateTime && !hasTimestamp) : null;
    }

    /// <summary>Maps the pattern letters to a .NET custom format, quoting separators.</summary>
    internal static string? ToDotNetFormat(string pattern, string template, List<string> errors, string what = "file name template")
    {
        if (pattern.Length == 0)
        {
            errors.Add($"The {what} '{Shown(template)}' has an empty %DATETIME()% pattern; use e.g. %DATETIME(YYYYMMdd_HHmmss)%.");
            return null;
        }

        var format = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var rest = pattern.AsSpan(i);
            if (rest.StartsWith("YYYY", StringComparison.Ordinal))
            {
                format.Append("yyyy");
                i += 4;
            }
            else if (rest.StartsWith("MM", StringComparison.Ordinal) || rest.StartsWith("dd", StringComparison.Ordinal)
                || rest.StartsWith("HH", StringComparison.Ordinal) || rest.StartsWith("mm", StringComparison.Ordinal)
                || rest.StartsWith("ss", StringComparison.Ordinal))
            {
                format.Append(rest[..2]);
                i += 2;
            }
            else if (rest[0] is '_' or '-' or '.')
            {
                format.Append('\'').Append(rest[0]).Append('\'');
                i++;
            }
            else
            {
                errors.Add($"The {what} '{Shown(template)}' has '{rest[0]}' at position {i + 1} of the %DATETIME({Shown(pattern)})% pattern; " +
                    "use YYYY, MM, dd, HH, mm, ss and the separators _ - .");
                return null;
            }
        }

        return format.ToString();
    }

    /// <summary>
    /// Shortens a name that would be too long by trimming the values that come from data, longest first, instead of
    /// cutting the end of the name: the required placeholders and the date part survive (so runs do not overwrite each
    /// other), and room is left for the part suffix and extension.
    /// </summary>
    private void ShortenValues(string[] pieces)
    {
        const int Budget = FileNameSanitizer.MaxLength - FileNameSanitizer.SuffixReserve;
        var bytes = new int[pieces.Length];
        var total = 0;
        for (var i = 0; i < pieces.Length; i++)
        {
            if (IsValue(_parts[i].Kind) && pieces[i].Length > FileNameSanitizer.MaxLength)
            {
                pieces[i] = pieces[i][..FileNameSanitizer.MaxLength];
            }

            bytes[i] = Encoding.UTF8.GetByteCount(pieces[i]);
            total += bytes[i];
        }

        while (total > Budget)
        {
            var longest = -1;
            for (var i = 0; i < pieces.Length; i++)
            {
                if (IsValue(_parts[i].Kind) && pieces[i].Length > 0 && (longest < 0 || bytes[i] > bytes[longest]))
                {
                    longest = i;
                }
            }

            if (longest < 0)
            {
                // Only fixed text is left; Fit cuts the end.
                return;
            }

            var piece = pieces[longest];
            var cut = piece.Length > 1 && char.IsLowSurrogate(piece[^1]) ? 2 : 1;
            var removed = Encoding.UTF8.GetByteCount(piece.AsSpan(piece.Length - cut));
            pieces[longest] = piece[..^cut];
            bytes[longest] -= removed;
            total -= removed;
        }
    }

    private static bool IsValue(PartKind kind) => kind is not (PartKind.Text or PartKind.DateTime or PartKind.Timestamp);

    internal static string Shown(string? text) => text is null ? "" : string.Concat(text.Select(Printable));

    private static string Printable(char c) =>
        char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            ? $"\\u{(int)c:x4}" : c.ToString();

    private readonly record struct Part(PartKind Kind, string Text);
}
