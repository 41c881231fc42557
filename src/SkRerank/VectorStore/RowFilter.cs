namespace SkRerank.VectorStore;

/// <summary>
/// How a search or filtered get selects rows, as the <see cref="FilterPlanner"/> decided: all rows, or only
/// <see cref="Candidates"/>; and, when the index could not answer the filter exactly, the compiled
/// <see cref="Predicate"/> run on each of those rows. Valid only inside the <see cref="CollectionStorage{TKey, TRecord}.Read"/> it was planned in.
/// </summary>
internal readonly record struct RowFilter<TRecord>(RowSet? Candidates, Func<TRecord, bool>? Predicate)
{
    /// <summary>No filter: every row.</summary>
    public static RowFilter<TRecord> All => default;

    /// <summary>Whether every row is selected without any check.</summary>
    public bool IsAll => Candidates is null && Predicate is null;
}
