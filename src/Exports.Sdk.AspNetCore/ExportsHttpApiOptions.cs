namespace Exports.Sdk.AspNetCore;

/// <summary>Options of the HTTP API (<see cref="ExportsHttpApiBuilderExtensions.AddHttpApi"/>).</summary>
public sealed class ExportsHttpApiOptions
{
    /// <summary>
    /// When true, every endpoint that changes or starts something answers 403 and changes nothing; reads still work.
    /// Default false. Permissions still apply to every caller either way.
    /// </summary>
    public bool IsReadOnly { get; set; }

    /// <summary>The most items one page may hold (<c>take</c>); default and maximum 500.</summary>
    public int MaxPageSize { get; set; } = 500;
}
