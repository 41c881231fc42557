namespace SkRerank.VectorStore;

/// <summary>
/// The secondary (payload) index of a collection: a <see cref="FieldIndex"/> per data property declared filterable
/// (<c>IsIndexed = true</c>, VectorData's meaning) whose type can be indexed (see <see cref="IndexableTypes"/>). The
/// <see cref="FilterPlanner"/> answers equality and <c>Contains</c> filters from it, so a filtered search reads only
/// the matching rows instead of running the predicate on every record. Maintained on every write, under the storage's
/// write lock; <see cref="Commit"/> ends each write batch.
/// </summary>
/// <remarks>
/// Dynamic (<c>Dictionary&lt;string, object?&gt;</c>) collections get no index: their filters read entries through
/// the indexer and casts, which the planner does not translate, so such filters always scan.
/// </remarks>
internal sealed class PayloadIndex<TRecord> where TRecord : class
{
    private readonly (DataField<TRecord> Field, FieldIndex Index)[] _fields;

    private PayloadIndex((DataField<TRecord>, FieldIndex)[] fields) => _fields = fields;

    /// <summary>Creates the index of a model, or <see langword="null"/> when it has no indexable property.</summary>
    public static PayloadIndex<TRecord>? Create(RecordModel<TRecord> model)
    {
        if (RecordModelBuilder.IsDynamic<TRecord>()) return null;
        var fields = model.DataFields
            .Where(f => f.IsIndexed && (IndexableTypes.IsScalar(f.Type) || IndexableTypes.ElementType(f.Type) is not null))
            .Select(f => (f, new FieldIndex(f.Name, f.Type)))
            .ToArray();
        return fields.Length == 0 ? null : new PayloadIndex<TRecord>(fields);
    }

    /// <summary>The index of a property, or <see langword="null"/> when the property is not indexed.</summary>
    public FieldIndex? Field(string propertyName)
    {
        foreach (var (field, index) in _fields)
        {
            if (field.Name == propertyName) return index;
        }
        return null;
    }

    /// <summary>Indexes the values of a record stored at <paramref name="row"/>.</summary>
    public void Add(int row, TRecord record)
    {
        foreach (var (field, index) in _fields) index.Add(row, field.Read(record));
    }

    /// <summary>Un-indexes the values of the record that was stored at <paramref name="row"/>.</summary>
    public void Remove(int row, TRecord record)
    {
        foreach (var (field, index) in _fields) index.Remove(row, field.Read(record));
    }

    /// <summary>Applies a write batch's pending changes; call before the write lock is released.</summary>
    public void Commit()
    {
        foreach (var (_, index) in _fields) index.Commit();
    }
}
