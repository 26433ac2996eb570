namespace Exports.Sdk;

/// <summary>Turns an export's context into a file name (without part suffix or extension).</summary>
public interface IFileNameTemplate
{
    /// <summary>The template text, e.g. <c>%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%</c>.</summary>
    string Template { get; }

    /// <summary>
    /// Whether the name has no date or time part: every export then writes the same name and replaces the previous file.
    /// </summary>
    bool IsStatic { get; }

    /// <summary>Renders the name. Values from audience data are sanitised so the name is safe for every destination.</summary>
    /// <param name="context">The values of the placeholders.</param>
    /// <returns>A safe file name of at most 255 characters, without part suffix or extension.</returns>
    string Render(FileNameContext context);
}
