namespace Exports.Sdk;

/// <summary>A file name as a run starting now would write it, for the "as you type" preview of the add/edit screen.</summary>
/// <param name="FileName">The first part's name with its extension, e.g. <c>drop_vip_20261205_101500.csv.gz</c>.</param>
/// <param name="IsStatic">The template has no date or time part, so every run writes the same name.</param>
public sealed record FileNamePreview(string FileName, bool IsStatic);
