namespace Exports.Sdk.Sources.AdoNet;

/// <summary>The SQL of one dataset of an <see cref="AdoNetSource"/>.</summary>
public sealed class AdoNetDatasetQuery
{
    /// <summary>The display name. Default: the dataset id.</summary>
    public string? Name { get; set; }

    /// <summary>The query of a full export; its columns, in order, are the dataset's columns.</summary>
    public string Sql { get; set; } = "";

    /// <summary>
    /// The query of an incremental export, with the parameter <c>@since</c> (the previous watermark: a UTC
    /// <see cref="DateTime"/> for timestamp watermarks, a <see cref="long"/> for integer ones, a <see cref="DateOnly"/> for
    /// dates), e.g. <c>SELECT … WHERE updated_at &gt; @since</c>. Null: <see cref="Sql"/> is run and older rows are
    /// dropped by the engine (correct, but reads everything).
    /// </summary>
    public string? IncrementalSql { get; set; }

    /// <summary>Column types that override what the provider reports, by column name (case-insensitive).</summary>
    public Dictionary<string, ExportColumnType> ColumnTypes { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
