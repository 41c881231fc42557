namespace SkRerank.VectorStore;

/// <summary>The type-erased face of a stored collection, so one registry can hold collections of any record type.</summary>
internal abstract class CollectionStorage
{
    public abstract Type KeyType { get; }

    public abstract Type RecordType { get; }

    /// <summary>See <see cref="RecordModel{TRecord}.Signature"/>.</summary>
    public abstract string Signature { get; }
}
