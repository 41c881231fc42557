namespace SkRerank.Indexing;

/// <summary>What an indexing run did.</summary>
/// <param name="Count">Movies indexed.</param>
/// <param name="Embedded">Movies whose text went to the embedding model.</param>
/// <param name="FromCache">Movies whose vector came from the cache.</param>
/// <param name="Dimensions">Vector length.</param>
/// <param name="Elapsed">Wall-clock time.</param>
public sealed record IndexReport(int Count, int Embedded, int FromCache, int Dimensions, TimeSpan Elapsed)
{
    /// <summary>Movies whose vector came from the collection itself (already stored with the same text); counted in <see cref="FromCache"/> too.</summary>
    public int FromStore { get; init; }
}
