using Microsoft.Extensions.AI;

namespace SkRerank.VectorStore;

/// <summary>Options of an <see cref="InMemoryVectorStore"/>.</summary>
public sealed class InMemoryVectorStoreOptions
{
    /// <summary>
    /// Embeds non-vector search values (e.g. strings) for every collection of the store, unless a vector property or a
    /// collection definition names its own generator.
    /// </summary>
    public IEmbeddingGenerator? EmbeddingGenerator { get; init; }

    /// <summary>How many cores one vector scan may use; all of them when <see langword="null"/>, 1 for a serial scan.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}
