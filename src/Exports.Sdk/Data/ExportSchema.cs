using System.Collections;

namespace Exports.Sdk;

/// <summary>An ordered list of uniquely named columns.</summary>
public sealed class ExportSchema : IReadOnlyList<ExportColumn>
{
    private readonly ExportColumn[] _columns;
    private readonly Dictionary<string, int> _ordinals;

    /// <summary>Creates a schema from columns whose names are unique (ordinal comparison).</summary>
    /// <param name="columns">The columns in order.</param>
    /// <exception cref="ArgumentException">A column name is empty or repeated.</exception>
    public ExportSchema(IEnumerable<ExportColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = [.. columns];
        _ordinals = new Dictionary<string, int>(_columns.Length, StringComparer.Ordinal);
        for (var i = 0; i < _columns.Length; i++)
        {
            var name = _columns[i].Name;
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException($"Column {i} has an empty name.", nameof(columns));
            }

            if (!_ordinals.TryAdd(name, i))
            {
                throw new ArgumentException($"Column '{name}' appears more than once.", nameof(columns));
            }
        }
    }

    /// <summary>Creates a schema from columns whose names are unique.</summary>
    /// <param name="columns">The columns in order.</param>
    public ExportSchema(params ExportColumn[] columns)
        : this((IEnumerable<ExportColumn>)columns)
    {
    }

    /// <inheritdoc />
    public int Count => _columns.Length;

    /// <inheritdoc />
    public ExportColumn this[int index] => _columns[index];

    /// <summary>Returns the ordinal of the column with the given name, or -1 when there is none.</summary>
    /// <param name="name">The column name (ordinal comparison).</param>
    /// <returns>The zero-based ordinal, or -1.</returns>
    public int IndexOf(string name) => _ordinals.TryGetValue(name, out var i) ? i : -1;

    /// <inheritdoc />
    public IEnumerator<ExportColumn> GetEnumerator() => ((IEnumerable<ExportColumn>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
