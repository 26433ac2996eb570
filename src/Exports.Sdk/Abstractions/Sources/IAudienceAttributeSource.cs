namespace Exports.Sdk;

/// <summary>
/// Optional for an <see cref="IAudienceSource"/>: lists the profile attributes it can export, with their types, so a
/// user interface can offer them in a picker.
/// </summary>
public interface IAudienceAttributeSource
{
    /// <summary>Lists the attribute paths the source offers.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The attributes, each with its type.</returns>
    IAsyncEnumerable<ExportColumn> ListAttributesAsync(CancellationToken cancellationToken = default);
}
