namespace SkRerank.VectorStore;

/// <summary>What the <see cref="FilterPlanner"/> needs from a collection's storage.</summary>
internal interface IFilterSource<TRecord> where TRecord : class
{
    RecordModel<TRecord> Model { get; }

    /// <summary>The payload index; <see langword="null"/> when no property is indexed.</summary>
    PayloadIndex<TRecord>? Index { get; }

    /// <summary>The row of a key (already of the key type), or none.</summary>
    RowSet KeyRows(object key);

    /// <summary>Every row in use, for negations.</summary>
    RowSet LiveRows();
}
