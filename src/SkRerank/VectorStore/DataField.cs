namespace SkRerank.VectorStore;

/// <summary>A data property of the record model.</summary>
/// <param name="Name">The property name (the CLR name, or the dictionary key of a dynamic record).</param>
/// <param name="Type">The declared type.</param>
/// <param name="IsIndexed">Declared as filterable: the <see cref="PayloadIndex{TRecord}"/> indexes it when its type allows (any property can still be filtered on, by the predicate).</param>
/// <param name="IsFullTextIndexed">Indexed for BM25 keyword search.</param>
/// <param name="Read">Reads the value from a record.</param>
internal sealed record DataField<TRecord>(string Name, Type Type, bool IsIndexed, bool IsFullTextIndexed, Func<TRecord, object?> Read);
