using System.Runtime.CompilerServices;
using global::Parquet;
using global::Parquet.Schema;

namespace Exports.Sdk.Formats.Parquet;

/// <summary>
/// Reads Parquet files (<c>*.parquet</c>) for file dataset sources: flat columns of the types in <see cref="ExportColumnType"/>
/// (plus INT8/INT16/FLOAT widened), one row group in memory at a time. A declared schema selects and orders columns.
/// Nested, repeated and binary columns fail with a message naming the column, unless a declared schema leaves them out.
/// </summary>
public sealed class ParquetDatasetFileReader : IDatasetFileReader
{
    private static readonly ParquetOptions ReadOptions = new() { UseDateOnlyTypeForDates = true };

    /// <inheritdoc />
    public string Format => ParquetFormat.FormatName;

    /// <inheritdoc />
    public IReadOnlyList<string> FileExtensions { get; } = ["parquet"];

    /// <inheritdoc />
    public async ValueTask<ExportSchema> ReadSchemaAsync(DatasetFileReadContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reader = await ParquetReader.CreateAsync(context.Path, ReadOptions, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return Plan(reader.Schema, context).Schema;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<RowBatch> ReadAsync(DatasetFileReadContext context, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reader = await ParquetReader.CreateAsync(context.Path, ReadOptions, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var (schema, slots) = Plan(reader.Schema, context);
            var batch = new RowBatch(schema, Math.Max(1, context.BatchSize));
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var rowGroup = reader.OpenRowGroupReader(g);
                var rows = checked((int)rowGroup.RowCount);
                foreach (var slot in slots)
                {
                    await slot.ReadAsync(rowGroup, rows, cancellationToken).ConfigureAwait(false);
                }

                for (var r = 0; r < rows; r++)
                {
                    var row = batch.AddRow();
                    for (var c = 0; c < slots.Length; c++)
                    {
                        slots[c].CopyNext(batch, row, c);
                    }

                    if (batch.IsFull)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        yield return batch;
                        batch.Clear();
                    }
                }
            }

            yield return batch;
        }
    }

    private static (ExportSchema Schema, ParquetColumnSlot[] Slots) Plan(ParquetSchema fileSchema, DatasetFileReadContext context)
    {
        var fields = fileSchema.GetDataFields();
        var wanted = context.Schema is { } declared
            ? declared.Select(c => (c.Name, Field: fields.FirstOrDefault(f => f.Name == c.Name && f.Path.Length == 1)))
            : fields.Select(f => (Name: f.Path.ToString(), Field: (DataField?)f));
        var columns = new List<ExportColumn>();
        var slots = new List<ParquetColumnSlot>();
        foreach (var (name, field) in wanted)
        {
            if (field is null)
            {
                throw new ExportException($"Dataset '{context.DatasetId}': the Parquet file '{Path.GetFileName(context.Path)}' has no column '{name}'.");
            }

            var type = ParquetColumnSlot.GetExportType(field);
            var slot = ParquetColumnSlot.Create(field);
            if (type is null || slot is null || field.Path.Length > 1)
            {
                throw new ExportException(
                    $"Dataset '{context.DatasetId}': column '{name}' of the Parquet file '{Path.GetFileName(context.Path)}' is {Describe(field)}, " +
                    "which dataset exports cannot hold; leave it out with a declared schema.");
            }

            if (context.Schema is { } s && s[s.IndexOf(name)].Type != type)
            {
                throw new ExportException(
                    $"Dataset '{context.DatasetId}': column '{name}' is declared {s[s.IndexOf(name)].Type} but the Parquet file '{Path.GetFileName(context.Path)}' holds {type}.");
            }

            columns.Add(new ExportColumn(name, type.Value));
            slots.Add(slot);
        }

        return (new ExportSchema(columns), [.. slots]);
    }

    private static string Describe(DataField field) =>
        field.IsArray || field.MaxRepetitionLevel > 0 ? "a repeated (list) column"
        : field.Path.Length > 1 ? "a nested (struct) column"
        : $"of type {field.ClrType.Name}";
}
