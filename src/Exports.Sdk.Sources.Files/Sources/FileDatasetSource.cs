using System.Runtime.CompilerServices;

namespace Exports.Sdk.Sources.Files;

/// <summary>
/// A dataset source over local data files, read by the registered <see cref="IDatasetFileReader"/>s (CSV and JSON Lines
/// built in, Parquet from <c>Exports.Sdk.Formats.Parquet</c>, or your own). Every row of every file is read; incremental
/// exports drop rows at or below the watermark in the engine.
/// </summary>
public sealed class FileDatasetSource : IDatasetSource
{
    private readonly string _name;
    private readonly IReadOnlyDictionary<string, FileDataset> _datasets;
    private readonly IDatasetFileReader[] _readers;

    /// <summary>Creates the source.</summary>
    /// <param name="name">The source name, used in messages.</param>
    /// <param name="datasets">The datasets by id.</param>
    /// <param name="readers">The file readers available.</param>
    public FileDatasetSource(string name, IReadOnlyDictionary<string, FileDataset> datasets, IEnumerable<IDatasetFileReader> readers)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentNullException.ThrowIfNull(readers);
        _name = name;
        _datasets = datasets;
        _readers = [.. readers];
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DatasetInfo> ListDatasetsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var (id, dataset) in _datasets)
        {
            var schema = Declared(dataset);
            var first = Files(id, dataset).FirstOrDefault();
            if (schema is null && first is not null)
            {
                schema = await ReaderFor(id, dataset, first).ReadSchemaAsync(Context(id, dataset, first), cancellationToken).ConfigureAwait(false);
            }

            yield return new DatasetInfo(id, dataset.Name ?? id) { Schema = schema };
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RowBatch> ReadRowsAsync(DatasetReadRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_datasets.TryGetValue(request.DatasetId, out var dataset))
        {
            throw new ExportException($"File source '{_name}' has no dataset '{request.DatasetId}'; it has {string.Join(", ", _datasets.Keys.Select(k => $"'{k}'"))}.");
        }

        var files = Files(request.DatasetId, dataset).ToList();
        // Undeclared columns come from the first file and apply to all, so every file is read alike.
        var schema = Declared(dataset);
        if (schema is null && files.Count > 0)
        {
            schema = await ReaderFor(request.DatasetId, dataset, files[0]).ReadSchemaAsync(Context(request.DatasetId, dataset, files[0]), cancellationToken).ConfigureAwait(false);
        }

        foreach (var file in files)
        {
            var context = Context(request.DatasetId, dataset, file) with { BatchSize = request.BatchSize, Schema = schema };
            await foreach (var batch in ReaderFor(request.DatasetId, dataset, file).ReadAsync(context, cancellationToken).ConfigureAwait(false))
            {
                if (schema is not null && !batch.Schema.SequenceEqual(schema))
                {
                    throw new ExportException(
                        $"File source '{_name}', dataset '{request.DatasetId}': the file '{System.IO.Path.GetFileName(file)}' has the columns " +
                        $"{Describe(batch.Schema)}, unlike the dataset's ({Describe(schema)}); declare Columns to read them alike.");
                }

                yield return batch;
            }
        }

        if (files.Count == 0 && Declared(dataset) is { } declared)
        {
            yield return new RowBatch(declared, 1);
        }
    }

    private static ExportSchema? Declared(FileDataset dataset) => dataset.Columns.Count > 0 ? new ExportSchema(dataset.Columns) : null;

    private static DatasetFileReadContext Context(string id, FileDataset dataset, string file) =>
        new(id, file) { Schema = Declared(dataset), Settings = dataset.Settings };

    private static string Describe(ExportSchema schema) => string.Join(", ", schema.Select(c => $"{c.Name} {c.Type}"));

    private IEnumerable<string> Files(string id, FileDataset dataset)
    {
        if (File.Exists(dataset.Path))
        {
            return [dataset.Path];
        }

        if (!Directory.Exists(dataset.Path))
        {
            throw new ExportException($"File source '{_name}', dataset '{id}': the path '{dataset.Path}' is neither a file nor a folder.");
        }

        return Directory.EnumerateFiles(dataset.Path)
            .Where(f => !System.IO.Path.GetFileName(f).StartsWith('.') && FindReader(dataset, f) is not null)
            .Order(StringComparer.Ordinal);
    }

    private IDatasetFileReader ReaderFor(string id, FileDataset dataset, string file) =>
        FindReader(dataset, file) ?? throw new ExportException(
            $"File source '{_name}', dataset '{id}': no reader for '{System.IO.Path.GetFileName(file)}'" +
            (dataset.Format is null ? "" : $" in format '{dataset.Format}'") +
            $"; registered formats: {string.Join(", ", _readers.Select(r => r.Format))}.");

    private IDatasetFileReader? FindReader(FileDataset dataset, string file) =>
        dataset.Format is { } format
            ? _readers.FirstOrDefault(r => string.Equals(r.Format, format, StringComparison.OrdinalIgnoreCase))
            : _readers.FirstOrDefault(r => r.FileExtensions.Any(e => file.EndsWith("." + e, StringComparison.OrdinalIgnoreCase)));
}
