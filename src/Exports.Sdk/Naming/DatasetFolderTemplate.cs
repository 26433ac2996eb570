using System.Globalization;

namespace Exports.Sdk;

/// <summary>
/// The folder a dataset export writes each run into, under the destination's folder: segments separated by <c>/</c>,
/// each of text and the placeholders <c>%DATASET_ID%</c>, <c>%EXPORT_TIME%</c> (<c>exportTime=YYYYMMDDHHMM</c>),
/// <c>%DATETIME(pattern)%</c> (pattern letters <c>YYYY MM dd HH mm ss</c>), <c>%DESTINATION%</c> (the destination's
/// type), <c>%DESTINATION_INSTANCE_NAME%</c>, <c>%DESTINATION_INSTANCE_ID%</c>, <c>%SANDBOX_NAME%</c> and
/// <c>%ORGANIZATION_NAME%</c>. Times are the run's scheduled time in UTC.
/// </summary>
public sealed class DatasetFolderTemplate
{
    /// <summary>The default, <c>%DATASET_ID%/%EXPORT_TIME%</c>: <c>&lt;datasetId&gt;/exportTime=YYYYMMDDHHMM</c>.</summary>
    public const string Default = "%DATASET_ID%/%EXPORT_TIME%";

    private const string What = "dataset folder template";

    private static readonly string[] Placeholders =
        ["DATASET_ID", "EXPORT_TIME", "DATETIME(…)", "DESTINATION", "DESTINATION_INSTANCE_NAME", "DESTINATION_INSTANCE_ID", "SANDBOX_NAME", "ORGANIZATION_NAME"];

    private readonly Part[][] _segments;

    private DatasetFolderTemplate(string template, Part[][] segments)
    {
        Template = template;
        _segments = segments;
    }

    private enum PartKind
    {
        Text,
        DatasetId,
        ExportTime,
        DateTime,
        Destination,
        DestinationInstanceName,
        DestinationInstanceId,
        SandboxName,
        OrganizationName,
    }

    /// <summary>The template text.</summary>
    public string Template { get; }

    /// <summary>Parses a template; null or empty gives <see cref="Default"/>.</summary>
    /// <param name="template">The template text.</param>
    /// <returns>The template.</returns>
    /// <exception cref="ExportValidationException">The template is invalid; every problem is listed.</exception>
    public static DatasetFolderTemplate Parse(string? template) =>
        TryParse(template, out var errors) ?? throw new ExportValidationException(errors);

    /// <summary>Checks a template and returns every problem (empty when valid).</summary>
    /// <param name="template">The template text; null or empty is the default.</param>
    /// <returns>The problems, each naming the placeholder or text at fault.</returns>
    public static IReadOnlyList<string> Validate(string? template)
    {
        TryParse(template, out var errors);
        return errors;
    }

    /// <summary>Renders the folder of a run (relative to the destination's folder; each value made safe as a name).</summary>
    /// <param name="context">The values.</param>
    /// <returns>The folder, segments joined by <c>/</c>.</returns>
    public string Render(DatasetFolderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var utc = context.Time.ToUniversalTime();
        var segments = new string[_segments.Length];
        for (var s = 0; s < _segments.Length; s++)
        {
            var text = string.Concat(_segments[s].Select(part => part.Kind switch
            {
                PartKind.Text => part.Text,
                PartKind.DatasetId => context.DatasetId,
                PartKind.ExportTime => "exportTime=" + utc.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture),
                PartKind.DateTime => utc.ToString(part.Text, CultureInfo.InvariantCulture),
                PartKind.Destination => context.DestinationType,
                PartKind.DestinationInstanceName => context.DestinationName,
                PartKind.DestinationInstanceId => context.DestinationId,
                PartKind.SandboxName => context.SandboxName ?? "",
                PartKind.OrganizationName => context.OrganizationName ?? "",
                _ => "",
            }));
            // A value may hold "/" or "..": each segment is one name, never a way out of the destination's folder.
            // An empty value (no sandbox name) must not merge two folders into one.
            segments[s] = FileNameSanitizer.Sanitize(text) is { Length: > 0 } name ? name : "_";
        }

        return string.Join('/', segments);
    }

    /// <inheritdoc />
    public override string ToString() => Template;

    private static DatasetFolderTemplate? TryParse(string? template, out List<string> errors)
    {
        errors = [];
        template = string.IsNullOrEmpty(template) ? Default : template;
        var shown = FileNameTemplate.Shown(template);
        var segments = new List<Part[]>();
        foreach (var segment in template.Split('/'))
        {
            if (segment.Length == 0)
            {
                errors.Add($"The {What} '{shown}' has an empty folder name (a leading, trailing or doubled '/').");
                continue;
            }

            var parts = new List<Part>();
            var i = 0;
            while (i < segment.Length)
            {
                var open = segment.IndexOf('%', i);
                if (open < 0)
                {
                    parts.Add(new Part(PartKind.Text, segment[i..]));
                    break;
                }

                if (open > i)
                {
                    parts.Add(new Part(PartKind.Text, segment[i..open]));
                }

                var close = segment.IndexOf('%', open + 1);
                if (close < 0)
                {
                    errors.Add($"The {What} '{shown}' has a '%' that is not closed.");
                    break;
                }

                var name = segment[(open + 1)..close];
                parts.Add(ToPart(name, template, errors));
                i = close + 1;
            }

            if (parts.All(p => p.Kind == PartKind.Text) && parts.Select(p => p.Text).Aggregate("", string.Concat) is "." or "..")
            {
                errors.Add($"The {What} '{shown}' has the folder name '{string.Concat(parts.Select(p => p.Text))}'; it would leave the run's folder.");
            }

            segments.Add([.. parts]);
        }

        if (!segments.Any(s => s.Any(p => p.Kind is PartKind.ExportTime or PartKind.DateTime)))
        {
            // Each run needs its own folder, or a run would mix its files with the previous one's.
            errors.Add($"The {What} '{shown}' must contain %EXPORT_TIME% or %DATETIME(…)%, so each run gets its own folder.");
        }

        return errors.Count == 0 ? new DatasetFolderTemplate(template, [.. segments]) : null;
    }

    private static Part ToPart(string name, string template, List<string> errors)
    {
        if (name.StartsWith("DATETIME(", StringComparison.Ordinal) && name.EndsWith(')'))
        {
            return new Part(PartKind.DateTime, FileNameTemplate.ToDotNetFormat(name["DATETIME(".Length..^1], template, errors, What) ?? "");
        }

        PartKind? kind = name switch
        {
            "DATASET_ID" => PartKind.DatasetId,
            "EXPORT_TIME" => PartKind.ExportTime,
            "DESTINATION" => PartKind.Destination,
            "DESTINATION_INSTANCE_NAME" => PartKind.DestinationInstanceName,
            "DESTINATION_INSTANCE_ID" => PartKind.DestinationInstanceId,
            "SANDBOX_NAME" => PartKind.SandboxName,
            "ORGANIZATION_NAME" => PartKind.OrganizationName,
            _ => null,
        };
        if (kind is null)
        {
            errors.Add($"The {What} '{FileNameTemplate.Shown(template)}' has the unknown placeholder '%{FileNameTemplate.Shown(name)}%'; use one of "
                + string.Join(", ", Placeholders.Select(p => $"%{p}%")) + ".");
            return new Part(PartKind.Text, "");
        }

        return new Part(kind.Value, "");
    }

    private readonly record struct Part(PartKind Kind, string Text);
}
